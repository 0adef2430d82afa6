namespace Billing.Contracts;

/// <summary>
/// An event one service publishes for the others, through its transactional outbox.
/// Implementations are immutable records; once published, a shape only grows (new optional
/// members), because consumers of the old shape may still be reading it.
/// </summary>
public interface IIntegrationEvent
{
    /// <summary>Unique per event. Also the transport MessageId, which consumers dedupe on.</summary>
    Guid EventId { get; }

    /// <summary>When the business change happened (not when it was published).</summary>
    DateTimeOffset OccurredAt { get; }

    /// <summary>The tenant the event belongs to (<c>app_…</c>).</summary>
    string AppId { get; }
}
