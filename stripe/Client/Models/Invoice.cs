namespace Billing.Stripe;

/// <summary>A Stripe <c>invoice</c>.</summary>
public sealed record Invoice : StripeEntity, IHasId
{
    public required string Id { get; init; }
    /// <summary><c>draft</c>, <c>open</c>, <c>paid</c>, <c>uncollectible</c> or <c>void</c>.</summary>
    public string? Status { get; init; }
    public Expandable<Customer>? Customer { get; init; }
    public string Currency { get; init; } = "";
    public long AmountDue { get; init; }
    public long AmountPaid { get; init; }
    public long AmountRemaining { get; init; }
    public long Subtotal { get; init; }
    public long Total { get; init; }
    /// <summary><c>subscription_create</c>, <c>subscription_cycle</c>, <c>manual</c>, ...</summary>
    public string? BillingReason { get; init; }
    public string? CollectionMethod { get; init; }
    public string? Number { get; init; }
    public string? HostedInvoiceUrl { get; init; }
    public string? InvoicePdf { get; init; }
    public DateTimeOffset? PeriodStart { get; init; }
    public DateTimeOffset? PeriodEnd { get; init; }
    public StripeList<InvoiceLineItem> Lines { get; init; } = new();
    public InvoiceStatusTransitions? StatusTransitions { get; init; }
    public int AttemptCount { get; init; }
    public DateTimeOffset? NextPaymentAttempt { get; init; }
    /// <summary>Current API: what the invoice was created for.</summary>
    public InvoiceParent? Parent { get; init; }
    /// <summary>Current API: the payments that settle it (when expanded or included).</summary>
    public StripeList<InvoicePayment>? Payments { get; init; }
    /// <summary>2023 API; see <see cref="SubscriptionId"/>.</summary>
    public Expandable<Subscription>? Subscription { get; init; }
    /// <summary>2023 API.</summary>
    public Expandable<PaymentIntent>? PaymentIntent { get; init; }
    /// <summary>2023 API.</summary>
    public string? Charge { get; init; }
    public Expandable<TestClock>? TestClock { get; init; }
    public DateTimeOffset Created { get; init; }
    public Dictionary<string, string> Metadata { get; init; } = [];
    public bool Livemode { get; init; }

    /// <summary>The subscription, from the current shape or the 2023 one.</summary>
    public string? SubscriptionId => Parent?.SubscriptionDetails?.Subscription?.Id ?? Subscription?.Id;
}

public sealed record InvoiceParent
{
    /// <summary><c>subscription_details</c>, <c>quote_details</c>, ...</summary>
    public string? Type { get; init; }
    public InvoiceSubscriptionDetails? SubscriptionDetails { get; init; }
}

public sealed record InvoiceSubscriptionDetails
{
    public Expandable<Subscription>? Subscription { get; init; }
    public Dictionary<string, string>? Metadata { get; init; }
}

public sealed record InvoicePayment : StripeEntity, IHasId
{
    public required string Id { get; init; }
    public InvoicePaymentTarget? Payment { get; init; }
    public string? Status { get; init; }
    public long? AmountPaid { get; init; }
}

public sealed record InvoicePaymentTarget
{
    /// <summary><c>payment_intent</c> or <c>charge</c>.</summary>
    public string? Type { get; init; }
    public Expandable<PaymentIntent>? PaymentIntent { get; init; }
    public Expandable<Charge>? Charge { get; init; }
}

public sealed record InvoiceLineItem : StripeEntity, IHasId
{
    public required string Id { get; init; }
    public long Amount { get; init; }
    public string? Currency { get; init; }
    public string? Description { get; init; }
    public InvoiceLinePeriod? Period { get; init; }
    public long? Quantity { get; init; }
    public Dictionary<string, string> Metadata { get; init; } = [];
}

public sealed record InvoiceLinePeriod
{
    public DateTimeOffset Start { get; init; }
    public DateTimeOffset End { get; init; }
}

public sealed record InvoiceStatusTransitions
{
    public DateTimeOffset? FinalizedAt { get; init; }
    public DateTimeOffset? PaidAt { get; init; }
    public DateTimeOffset? VoidedAt { get; init; }
    public DateTimeOffset? MarkedUncollectibleAt { get; init; }
}
