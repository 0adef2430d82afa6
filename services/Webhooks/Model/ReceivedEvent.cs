namespace Billing.Webhooks.Model;

/// <summary>
/// <c>published</c>: its integration event was committed to the outbox (stored and published are one
/// commit); <c>ignored</c>: a type nobody consumes, stored only; <c>failed</c>: a consumer gave up on
/// its integration event (see the dead letters) since it was last published or replayed.
/// </summary>
public enum ProcessingStatus { Published, Ignored, Failed }

/// <summary>How an event reached us: a webhook delivery, or the reconciler finding one we never received.</summary>
public enum EventSource { Webhook, Reconciler }

/// <summary>A Stripe event as it arrived, stored once (unique on its Stripe id) before we answer 2xx.</summary>
public sealed class ReceivedEvent
{
    public required string Id { get; init; }
    public required string StripeEventId { get; init; }
    public required string Type { get; init; }
    public string? AppId { get; init; }
    public string? Account { get; init; }
    public DateTimeOffset StripeCreatedAt { get; init; }
    public required string Payload { get; init; }
    public required ProcessingStatus Status { get; set; }
    public EventSource Source { get; init; } = EventSource.Webhook;
    public DateTimeOffset ReceivedAt { get; init; } = DateTimeOffset.UtcNow;
}
