using System.Globalization;
using Stripe;

namespace Billing.Stripe.Webhooks;

/// <summary>
/// Stripe.net's <see cref="EventUtility"/> with what it leaves to us: several secrets during a
/// roll (each is tried), a reason for every refusal (the intake counts them), and a timestamp
/// check in either direction that a tolerance of zero turns off.
/// </summary>
public sealed class StripeWebhookVerifier(TimeSpan? tolerance = null, TimeProvider? time = null)
{
    /// <summary>Stripe's libraries' default.</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromSeconds(EventUtility.DefaultTimeTolerance);

    private readonly TimeSpan _tolerance = tolerance ?? DefaultTolerance;
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Checks <paramref name="header"/> against <paramref name="payload"/> (the raw body, exactly as received).</summary>
    public WebhookVerificationResult Verify(string payload, string? header, IReadOnlyList<string> secrets)
    {
        if (string.IsNullOrWhiteSpace(header))
            return new(WebhookFailureReason.MissingHeader, "The Stripe-Signature header is missing.");
        var usable = secrets.Where(s => !string.IsNullOrWhiteSpace(s)).ToList();
        if (usable.Count == 0)
            return new(WebhookFailureReason.NoSecrets, "No webhook secret is configured for this endpoint.");
        // EventUtility throws one exception type for every refusal; reading the header first gives each its reason.
        if (ReadHeader(header) is not { } signed) return new(WebhookFailureReason.MalformedHeader, "The Stripe-Signature header is not t=<unix>,v1=<hex>.");
        if (!signed.HasV1) return new(WebhookFailureReason.NoV1Signature, "The Stripe-Signature header has no v1 signature.");

        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        // Zero turns the check off; EventUtility compares |now - t| with the tolerance, so "never exceeded" is long.MaxValue.
        var seconds = _tolerance == TimeSpan.Zero ? long.MaxValue : (long)_tolerance.TotalSeconds;
        foreach (var secret in usable)
        {
            try
            {
                EventUtility.ValidateSignature(payload, header, secret, seconds, now);
                return WebhookVerificationResult.Valid;
            }
            catch (StripeException)
            {
                // Not this secret (or outside the tolerance): the next secret of a roll may match.
            }
        }
        if (seconds != long.MaxValue && Math.Abs(now - signed.Timestamp) > seconds)
            return signed.Timestamp < now
                ? new(WebhookFailureReason.TimestampTooOld, $"The signature's timestamp is more than {seconds} s old.")
                : new(WebhookFailureReason.TimestampInFuture, $"The signature's timestamp is more than {seconds} s in the future.");
        return new(WebhookFailureReason.NoMatchingSignature, "No v1 signature matches a webhook secret of this endpoint.");
    }

    /// <summary>Verifies, then reads the event.</summary>
    /// <exception cref="StripeSignatureException">The signature does not verify, or the body is not an event.</exception>
    public Event ConstructEvent(string payload, string? header, IReadOnlyList<string> secrets)
    {
        var result = Verify(payload, header, secrets);
        if (!result.IsValid) throw new StripeSignatureException(result.Reason, result.Message);
        return ParseEvent(payload);
    }

    /// <summary>
    /// Reads a snapshot event with Stripe.net. Events of another API version are read, not refused
    /// (<c>throwOnApiVersionMismatch: false</c>): a refused delivery is retried by Stripe for days
    /// and then the endpoint is disabled, and we read only the envelope from Stripe.net's model
    /// (the normalizer reads <c>data.object</c> as JSON, in the current and the older shapes).
    /// </summary>
    /// <exception cref="StripeSignatureException">With <see cref="WebhookFailureReason.InvalidPayload"/>: not JSON, or not an event.</exception>
    public static Event ParseEvent(string payload)
    {
        Event stripeEvent;
        try
        {
            stripeEvent = EventUtility.ParseEvent(payload, throwOnApiVersionMismatch: false);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or ArgumentException or InvalidOperationException or FormatException)
        {
            throw new StripeSignatureException(WebhookFailureReason.InvalidPayload, $"The body is not a Stripe event: {e.Message}", e);
        }
        if (stripeEvent is null || string.IsNullOrEmpty(stripeEvent.Id) || string.IsNullOrEmpty(stripeEvent.Type) || stripeEvent.Data is null)
            throw new StripeSignatureException(WebhookFailureReason.InvalidPayload, "The event has no id, no type or no data.object.");
        return stripeEvent;
    }

    private sealed record SignedHeader(long Timestamp, bool HasV1);

    private static SignedHeader? ReadHeader(string header)
    {
        long? timestamp = null;
        var hasV1 = false;
        foreach (var item in header.Split(','))
        {
            var pair = item.Trim().Split('=', 2);
            if (pair.Length != 2) return null;
            if (pair[0] == "t")
            {
                // EventUtility reads t as an Int32: anything else is malformed, not a crash.
                if (!int.TryParse(pair[1], NumberStyles.None, CultureInfo.InvariantCulture, out var t) || t <= 0) return null;
                timestamp = t;
            }
            else if (pair[0] == "v1") hasV1 = true;
        }
        return timestamp is { } at ? new SignedHeader(at, hasV1) : null;
    }
}
