using System.Text.Json;
using Billing.Stripe.Webhooks;
using Stripe;

namespace Billing.Webhooks.Ingest;

/// <summary>
/// A Stripe event in snapshot form: its envelope as Stripe.net reads it, and its <c>data.object</c>
/// as the JSON it came in. The normalizer reads the JSON rather than Stripe.net's typed object so that
/// an event of an older API version reads the same, and what it reads is exactly the payload kept for replays.
/// </summary>
public sealed class SnapshotEvent
{
    private SnapshotEvent(Event stripeEvent, JsonElement obj, string payload)
    {
        Event = stripeEvent;
        Object = obj;
        Payload = payload;
    }

    /// <summary>The event's JSON as Stripe sent it, kept for replays and audits.</summary>
    public string Payload { get; }

    /// <summary>Stripe.net's reading of the event.</summary>
    public Event Event { get; }

    /// <summary>The event's <c>data.object</c>, always a JSON object.</summary>
    public JsonElement Object { get; }

    public string Id => Event.Id;
    public string Type => Event.Type;
    public DateTimeOffset Created => new(DateTime.SpecifyKind(Event.Created, DateTimeKind.Utc));

    /// <summary>The connected account the event happened on; null for the platform's own.</summary>
    public string? Account => string.IsNullOrEmpty(Event.Account) ? null : Event.Account;

    /// <summary>Reads a snapshot event's JSON.</summary>
    /// <exception cref="StripeSignatureException">With <see cref="WebhookFailureReason.InvalidPayload"/>: not an event, or no <c>data.object</c>.</exception>
    public static SnapshotEvent Parse(string payload)
    {
        var stripeEvent = StripeWebhookVerifier.ParseEvent(payload);
        using var document = JsonDocument.Parse(payload);
        if (!document.RootElement.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object
            || !data.TryGetProperty("object", out var obj) || obj.ValueKind != JsonValueKind.Object)
            throw new StripeSignatureException(WebhookFailureReason.InvalidPayload, "The event has no data.object.");
        return new SnapshotEvent(stripeEvent, obj.Clone(), payload);
    }
}
