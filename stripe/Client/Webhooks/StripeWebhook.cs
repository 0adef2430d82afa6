using System.Text;
using System.Text.Json;

namespace Billing.Stripe;

/// <summary>Verifies a webhook delivery and parses it into a <see cref="StripeEvent"/> in one call.</summary>
public static class StripeWebhook
{
    /// <summary>
    /// Verifies <paramref name="signatureHeader"/> over the raw <paramref name="payload"/> against
    /// any of <paramref name="secrets"/> and returns the parsed event.
    /// </summary>
    /// <param name="tolerance">Default 300 s; <see cref="TimeSpan.Zero"/> disables the timestamp check.</param>
    /// <exception cref="StripeSignatureException">The signature did not verify, or the body is not an event.</exception>
    public static StripeEvent ConstructEvent(ReadOnlySpan<byte> payload, string? signatureHeader, IEnumerable<string> secrets, TimeSpan? tolerance = null, TimeProvider? time = null)
    {
        new WebhookSignatureVerifier(tolerance, time).VerifyOrThrow(payload, signatureHeader, secrets);
        return Parse(payload);
    }

    /// <summary>As above, for a body read as text and one secret.</summary>
    /// <exception cref="StripeSignatureException">The signature did not verify, or the body is not an event.</exception>
    public static StripeEvent ConstructEvent(string payload, string? signatureHeader, string secret, TimeSpan? tolerance = null, TimeProvider? time = null) =>
        ConstructEvent(Encoding.UTF8.GetBytes(payload), signatureHeader, [secret], tolerance, time);

    /// <summary>Parses an event body without checking any signature (for events fetched from the API).</summary>
    /// <exception cref="StripeSignatureException">The body is not a Stripe event.</exception>
    public static StripeEvent Parse(ReadOnlySpan<byte> payload)
    {
        try
        {
            var stripeEvent = JsonSerializer.Deserialize<StripeEvent>(payload, StripeJson.Options);
            if (stripeEvent is null || stripeEvent.Object != "event")
                throw new JsonException("The body is not an object of type \"event\".");
            return stripeEvent;
        }
        catch (JsonException e)
        {
            throw new StripeSignatureException(WebhookFailureReason.InvalidPayload, $"The webhook body is not a Stripe event: {e.Message}", e);
        }
    }
}
