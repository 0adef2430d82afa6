using System.Security.Cryptography;
using System.Text;

namespace Billing.Stripe;

/// <summary>Builds deterministic idempotency keys from the natural key of a business operation.</summary>
public static class IdempotencyKeys
{
    /// <summary>
    /// A key derived from the parts, e.g. <c>From("refund", orderId, attempt)</c>. The same parts
    /// always give the same key, parts cannot run into each other (<c>("a:b","c")</c> and
    /// <c>("a","b:c")</c> differ), and the result fits Stripe's 255-character limit whatever the
    /// input length.
    /// </summary>
    public static string From(params string[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Length == 0)
            throw new ArgumentException("At least one part is needed.", nameof(parts));
        var builder = new StringBuilder();
        foreach (var part in parts)
        {
            ArgumentNullException.ThrowIfNull(part, nameof(parts));
            // Length-prefixing makes the encoding unambiguous.
            builder.Append(part.Length).Append(':').Append(part).Append('|');
        }
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString()));
        // Keep the first part readable in Stripe's dashboard and logs.
        var label = new string(parts[0].Where(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-').Take(40).ToArray());
        return $"{label}-{Convert.ToHexStringLower(hash)}";
    }
}
