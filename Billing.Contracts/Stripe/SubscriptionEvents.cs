namespace Billing.Contracts.Stripe;

/// <summary>A Stripe subscription as the event saw it (first item's price and period).</summary>
public sealed record SubscriptionState(
    string Id, string Status, string? CustomerId, string? PriceId, long Quantity, bool CancelAtPeriodEnd,
    DateTimeOffset? CurrentPeriodEnd, DateTimeOffset? CanceledAt, DateTimeOffset? TrialEnd);

/// <summary><c>customer.subscription.created</c>.</summary>
public sealed record SubscriptionCreated(Guid EventId, DateTimeOffset OccurredAt, string AppId, StripeOrigin Origin, SubscriptionState Subscription)
    : IStripeIntegrationEvent;

/// <summary><c>customer.subscription.updated</c>: status, price, period or cancellation changed.</summary>
public sealed record SubscriptionUpdated(Guid EventId, DateTimeOffset OccurredAt, string AppId, StripeOrigin Origin, SubscriptionState Subscription)
    : IStripeIntegrationEvent;

/// <summary><c>customer.subscription.deleted</c>: the subscription ended (status <c>canceled</c>).</summary>
public sealed record SubscriptionDeleted(Guid EventId, DateTimeOffset OccurredAt, string AppId, StripeOrigin Origin, SubscriptionState Subscription)
    : IStripeIntegrationEvent;
