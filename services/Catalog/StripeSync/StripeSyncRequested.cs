using Billing.Contracts;

namespace Billing.Catalog.StripeSync;

/// <summary>
/// Catalog's own message to itself: make Stripe match plan or product <paramref name="ItemId"/>
/// (<c>plan_…</c> or <c>prod_…</c>). Staged with each change in the same transaction, so a committed
/// change is always followed by a sync; the consumer reads the current state, so any copy of this
/// message, however late or repeated, does the right thing.
/// </summary>
public sealed record StripeSyncRequested(Guid EventId, DateTimeOffset OccurredAt, string AppId, string ItemId) : IIntegrationEvent;
