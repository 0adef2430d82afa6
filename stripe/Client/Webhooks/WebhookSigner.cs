using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Billing.Stripe;

/// <summary>
/// Produces <c>Stripe-Signature</c> headers exactly as Stripe does, for tests and for the
/// sandbox's webhook delivery.
/// </summary>
public static class WebhookSigner
{
    /// <summary>Lower-case hex HMAC-SHA256 of <c>t + "." + payload</c>, keyed by the secret string as UTF-8.</summary>
    public static string ComputeSignature(string secret, long timestamp, ReadOnlySpan<byte> payload)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        var prefix = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + payload.Length];
        prefix.CopyTo(signed, 0);
        payload.CopyTo(signed.AsSpan(prefix.Length));
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }

    /// <summary>
    /// A header <c>t=...,v1=...</c> with one <c>v1</c> per secret (as during a secret roll),
    /// and a <c>v0</c> when <paramref name="includeV0"/> (Stripe adds a fake one to test-mode events).
    /// </summary>
    public static string CreateHeader(ReadOnlySpan<byte> payload, IEnumerable<string> secrets, DateTimeOffset timestamp, bool includeV0 = false)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        var t = timestamp.ToUnixTimeSeconds();
        var builder = new StringBuilder("t=").Append(t.ToString(CultureInfo.InvariantCulture));
        var any = false;
        foreach (var secret in secrets)
        {
            builder.Append(",v1=").Append(ComputeSignature(secret, t, payload));
            any = true;
        }
        if (!any)
            throw new ArgumentException("At least one secret is needed.", nameof(secrets));
        if (includeV0)
            builder.Append(",v0=").Append(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)));
        return builder.ToString();
    }

    /// <summary>A header for one secret over a UTF-8 payload.</summary>
    public static string CreateHeader(string payload, string secret, DateTimeOffset timestamp) =>
        CreateHeader(Encoding.UTF8.GetBytes(payload), [secret], timestamp);
}
