namespace Billing.Contracts.Stripe;

/// <summary>A Checkout Session as the event saw it. Amounts in minor units.</summary>
public sealed record CheckoutSessionState(
    string Id, string Mode, string? Status, string? PaymentStatus, string? CustomerId, string? SubscriptionId,
    string? PaymentIntentId, string? ClientReferenceId, long? AmountTotal, string? Currency);

/// <summary><c>checkout.session.completed</c>: the customer finished Checkout.</summary>
public sealed record CheckoutSessionCompleted(Guid EventId, DateTimeOffset OccurredAt, string AppId, StripeOrigin Origin, CheckoutSessionState Session)
    : IStripeIntegrationEvent;

/// <summary><c>checkout.session.expired</c>: the session can no longer be paid.</summary>
public sealed record CheckoutSessionExpired(Guid EventId, DateTimeOffset OccurredAt, string AppId, StripeOrigin Origin, CheckoutSessionState Session)
    : IStripeIntegrationEvent;
