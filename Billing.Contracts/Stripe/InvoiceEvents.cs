namespace Billing.Contracts.Stripe;

/// <summary>An invoice as the event saw it. Amounts in minor units.</summary>
public sealed record InvoiceState(
    string Id, string? Status, string? CustomerId, string? SubscriptionId, long AmountDue, long AmountPaid, string Currency,
    string? BillingReason, long AttemptCount, DateTimeOffset? NextPaymentAttempt);

/// <summary>
/// <c>invoice.paid</c> or <c>invoice.payment_succeeded</c> (Stripe sends both for one payment;
/// <see cref="StripeOrigin.Type"/> says which): dedupe on the invoice id.
/// </summary>
public sealed record InvoicePaid(Guid EventId, DateTimeOffset OccurredAt, string AppId, StripeOrigin Origin, InvoiceState Invoice)
    : IStripeIntegrationEvent;

/// <summary><c>invoice.payment_failed</c>: an attempt failed; <see cref="InvoiceState.NextPaymentAttempt"/> says whether Stripe retries.</summary>
public sealed record InvoicePaymentFailed(Guid EventId, DateTimeOffset OccurredAt, string AppId, StripeOrigin Origin, InvoiceState Invoice)
    : IStripeIntegrationEvent;
