using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Billing.Stripe;

/// <summary>Why a webhook signature was refused.</summary>
public enum WebhookFailureReason
{
    /// <summary>Verified.</summary>
    None,
    /// <summary>No <c>Stripe-Signature</c> header, or it was empty.</summary>
    MissingHeader,
    /// <summary>The header is not <c>t=...,v1=...</c> (no timestamp, or a timestamp that is not a number).</summary>
    MalformedHeader,
    /// <summary>The header has no <c>v1</c> signature (e.g. only <c>v0</c>).</summary>
    NoV1Signature,
    /// <summary>The timestamp is older than the tolerance (a replay, or a very late delivery).</summary>
    TimestampTooOld,
    /// <summary>The timestamp is further ahead than the tolerance (a forged or badly clocked sender).</summary>
    TimestampInFuture,
    /// <summary>No <c>v1</c> matches any configured secret: wrong secret or modified body.</summary>
    NoMatchingSignature,
    /// <summary>No webhook secret is configured.</summary>
    NoSecrets,
    /// <summary>The signature verified but the body is not a Stripe event.</summary>
    InvalidPayload,
}

/// <summary>The outcome of a signature check.</summary>
public sealed record WebhookVerificationResult(WebhookFailureReason Reason, string Message, DateTimeOffset? Timestamp)
{
    public bool IsValid => Reason == WebhookFailureReason.None;
}

/// <summary>A webhook whose signature did not verify, or whose body is not an event.</summary>
public sealed class StripeSignatureException : Exception
{
    public StripeSignatureException(WebhookFailureReason reason, string message, Exception? inner = null) : base(message, inner) => Reason = reason;

    public WebhookFailureReason Reason { get; }
}

/// <summary>
/// Verifies Stripe's <c>Stripe-Signature</c> header: <c>t=&lt;unix&gt;,v1=&lt;hex&gt;[,v1=...]</c>,
/// each <c>v1</c> a lower-case hex HMAC-SHA256 of <c>t + "." + raw body</c> keyed by a
/// <c>whsec_</c> secret. Any <c>v1</c> matching any secret passes (secret rotation); other
/// schemes (<c>v0</c>) are ignored. Timestamps further than the tolerance from now, in either
/// direction, are refused.
/// </summary>
public sealed class WebhookSignatureVerifier
{
    /// <summary>Stripe's libraries' default.</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromSeconds(300);

    private readonly TimeProvider _time;

    /// <param name="tolerance">How far <c>t</c> may be from now; <see cref="TimeSpan.Zero"/> disables the check. Default 300 s.</param>
    /// <param name="time">The clock; the system clock by default.</param>
    public WebhookSignatureVerifier(TimeSpan? tolerance = null, TimeProvider? time = null)
    {
        Tolerance = tolerance ?? DefaultTolerance;
        if (Tolerance < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(tolerance), "The tolerance cannot be negative.");
        _time = time ?? TimeProvider.System;
    }

    public TimeSpan Tolerance { get; }

    /// <summary>Checks the header against the raw body bytes, exactly as received.</summary>
    public WebhookVerificationResult Verify(ReadOnlySpan<byte> payload, string? signatureHeader, IEnumerable<string> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        var secretList = secrets.Where(s => !string.IsNullOrEmpty(s)).ToList();
        if (secretList.Count == 0)
            return Fail(WebhookFailureReason.NoSecrets, "No webhook secret is configured.");
        if (string.IsNullOrWhiteSpace(signatureHeader))
            return Fail(WebhookFailureReason.MissingHeader, "The Stripe-Signature header is missing.");

        long? timestamp = null;
        var signatures = new List<byte[]>();
        foreach (var part in signatureHeader.Split(','))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0)
                continue; // tolerate stray separators, like Stripe's libraries
            var key = part[..eq].Trim();
            var value = part[(eq + 1)..].Trim();
            if (key == "t")
            {
                if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var t))
                    return Fail(WebhookFailureReason.MalformedHeader, "The Stripe-Signature timestamp is not a number.");
                timestamp = t;
            }
            else if (key == "v1")
            {
                // Compare bytes of the hex text: a malformed value simply never matches.
                signatures.Add(Encoding.ASCII.GetBytes(value));
            }
        }
        if (timestamp is not { } ts)
            return Fail(WebhookFailureReason.MalformedHeader, "The Stripe-Signature header has no timestamp (t=...).");
        if (signatures.Count == 0)
            return Fail(WebhookFailureReason.NoV1Signature, "The Stripe-Signature header has no v1 signature.");

        DateTimeOffset sent;
        try
        {
            sent = DateTimeOffset.FromUnixTimeSeconds(ts);
        }
        catch (ArgumentOutOfRangeException)
        {
            return Fail(WebhookFailureReason.MalformedHeader, "The Stripe-Signature timestamp is out of range.");
        }

        var matched = false;
        foreach (var secret in secretList)
        {
            var expected = Encoding.ASCII.GetBytes(WebhookSigner.ComputeSignature(secret, ts, payload));
            foreach (var signature in signatures)
                matched |= CryptographicOperations.FixedTimeEquals(expected, signature);
        }
        if (!matched)
            return Fail(WebhookFailureReason.NoMatchingSignature, "No v1 signature matches the configured secrets for this payload.", sent);

        // Checked after the signature so that a forged header learns nothing about the clock.
        if (Tolerance > TimeSpan.Zero)
        {
            var age = _time.GetUtcNow() - sent;
            if (age > Tolerance)
                return Fail(WebhookFailureReason.TimestampTooOld, $"The signature timestamp is {age.TotalSeconds:0} s old, beyond the {Tolerance.TotalSeconds:0} s tolerance.", sent);
            if (-age > Tolerance)
                return Fail(WebhookFailureReason.TimestampInFuture, $"The signature timestamp is {(-age).TotalSeconds:0} s in the future, beyond the {Tolerance.TotalSeconds:0} s tolerance.", sent);
        }
        return new WebhookVerificationResult(WebhookFailureReason.None, "Verified.", sent);
    }

    /// <summary>Checks a body given as text (it is verified as its UTF-8 bytes).</summary>
    public WebhookVerificationResult Verify(string payload, string? signatureHeader, IEnumerable<string> secrets) =>
        Verify(Encoding.UTF8.GetBytes(payload ?? throw new ArgumentNullException(nameof(payload))), signatureHeader, secrets);

    /// <summary>Like <see cref="Verify(ReadOnlySpan{byte}, string?, IEnumerable{string})"/> but throws when the check fails.</summary>
    /// <exception cref="StripeSignatureException">The signature did not verify; <see cref="StripeSignatureException.Reason"/> says why.</exception>
    public void VerifyOrThrow(ReadOnlySpan<byte> payload, string? signatureHeader, IEnumerable<string> secrets)
    {
        var result = Verify(payload, signatureHeader, secrets);
        if (!result.IsValid)
            throw new StripeSignatureException(result.Reason, result.Message);
    }

    private static WebhookVerificationResult Fail(WebhookFailureReason reason, string message, DateTimeOffset? timestamp = null) =>
        new(reason, message, timestamp);
}
