namespace Billing.Contracts.Subscriptions;

/// <summary>A subscription as it is after a change.</summary>
/// <param name="Id">Ours: <c>sub_…</c>.</param>
/// <param name="CustomerId">Ours: <c>cus_…</c>.</param>
/// <param name="CustomerExternalId">The app's own id of the customer; for the platform app, the developer account id (<c>dev_…</c>).</param>
/// <param name="Status">As API.md spells it: <c>incomplete|trialing|active|past_due|canceled|unpaid|incomplete_expired</c>.</param>
/// <param name="Interval"><c>month</c> or <c>year</c>.</param>
/// <param name="Version">Grows with every applied change: a consumer keeps the highest and drops older ones.</param>
public sealed record SubscriptionDetails(
    string Id, string CustomerId, string CustomerExternalId, string PlanId, string PriceId, string Interval, long Quantity,
    string Status, DateTimeOffset? CurrentPeriodStart, DateTimeOffset? CurrentPeriodEnd, bool CancelAtPeriodEnd,
    DateTimeOffset? TrialEnd, long Version);

/// <summary>
/// A subscription started or changed (status, plan, price, quantity, period, cancellation). Published by
/// Subscriptions through its outbox; Usage (limits per plan) and the gateway (402 for past-due platform
/// accounts) keep projections from it.
/// </summary>
public sealed record SubscriptionChanged(Guid EventId, DateTimeOffset OccurredAt, string AppId, SubscriptionDetails Subscription) : IIntegrationEvent;
