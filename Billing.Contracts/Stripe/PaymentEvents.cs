namespace Billing.Contracts.Stripe;

/// <summary>A payment intent as the event saw it. Amounts in minor units.</summary>
public sealed record PaymentIntentState(
    string Id, string Status, long Amount, long AmountReceived, long AmountCapturable, string Currency, string? CustomerId,
    string? LatestChargeId, string? FailureCode, string? FailureMessage);

/// <summary><c>payment_intent.succeeded</c>.</summary>
public sealed record PaymentIntentSucceeded(Guid EventId, DateTimeOffset OccurredAt, string AppId, StripeOrigin Origin, PaymentIntentState PaymentIntent)
    : IStripeIntegrationEvent;

/// <summary><c>payment_intent.payment_failed</c>: the failure is in <see cref="PaymentIntentState.FailureCode"/>.</summary>
public sealed record PaymentIntentFailed(Guid EventId, DateTimeOffset OccurredAt, string AppId, StripeOrigin Origin, PaymentIntentState PaymentIntent)
    : IStripeIntegrationEvent;

/// <summary><c>payment_intent.amount_capturable_updated</c>: an authorization (manual capture) is ready.</summary>
public sealed record PaymentIntentCapturable(Guid EventId, DateTimeOffset OccurredAt, string AppId, StripeOrigin Origin, PaymentIntentState PaymentIntent)
    : IStripeIntegrationEvent;

/// <summary><c>payment_intent.canceled</c>: the authorization was released, or Stripe voided it (uncaptured after 7 days).</summary>
public sealed record PaymentIntentCanceled(Guid EventId, DateTimeOffset OccurredAt, string AppId, StripeOrigin Origin, PaymentIntentState PaymentIntent)
    : IStripeIntegrationEvent;

/// <summary>A charge as the event saw it. Amounts in minor units.</summary>
public sealed record ChargeState(
    string Id, string Status, long Amount, long AmountRefunded, bool Refunded, string Currency, string? PaymentIntentId, string? CustomerId);

/// <summary><c>charge.refunded</c>: fully or partly (<see cref="ChargeState.AmountRefunded"/> is the running total).</summary>
public sealed record ChargeRefunded(Guid EventId, DateTimeOffset OccurredAt, string AppId, StripeOrigin Origin, ChargeState Charge)
    : IStripeIntegrationEvent;
