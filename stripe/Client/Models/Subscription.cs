namespace Billing.Stripe;

/// <summary>A Stripe <c>subscription</c>.</summary>
public sealed record Subscription : StripeEntity, IHasId
{
    public required string Id { get; init; }
    public Expandable<Customer>? Customer { get; init; }
    /// <summary>
    /// <c>incomplete</c>, <c>incomplete_expired</c>, <c>trialing</c>, <c>active</c>,
    /// <c>past_due</c>, <c>canceled</c>, <c>unpaid</c> or <c>paused</c>.
    /// </summary>
    public string Status { get; init; } = "";
    public StripeList<SubscriptionItem> Items { get; init; } = new();
    public bool CancelAtPeriodEnd { get; init; }
    public DateTimeOffset? CancelAt { get; init; }
    public DateTimeOffset? CanceledAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public CancellationDetails? CancellationDetails { get; init; }
    public DateTimeOffset? TrialStart { get; init; }
    public DateTimeOffset? TrialEnd { get; init; }
    public DateTimeOffset? StartDate { get; init; }
    public DateTimeOffset? BillingCycleAnchor { get; init; }
    /// <summary>2023 API only; the current API has the period on each item.</summary>
    public DateTimeOffset? CurrentPeriodStart { get; init; }
    /// <summary>2023 API only; the current API has the period on each item.</summary>
    public DateTimeOffset? CurrentPeriodEnd { get; init; }
    public Expandable<Invoice>? LatestInvoice { get; init; }
    /// <summary><c>charge_automatically</c> or <c>send_invoice</c>.</summary>
    public string? CollectionMethod { get; init; }
    public Expandable<PaymentMethod>? DefaultPaymentMethod { get; init; }
    public SubscriptionPauseCollection? PauseCollection { get; init; }
    public string? Currency { get; init; }
    public Expandable<TestClock>? TestClock { get; init; }
    public DateTimeOffset Created { get; init; }
    public Dictionary<string, string> Metadata { get; init; } = [];
    public bool Livemode { get; init; }

    /// <summary>The period end of the current API (on the items), falling back to the 2023 field.</summary>
    public DateTimeOffset? PeriodEnd => Items.Data.Select(i => i.CurrentPeriodEnd).Where(e => e is not null).Min() ?? CurrentPeriodEnd;

    /// <summary>The period start of the current API (on the items), falling back to the 2023 field.</summary>
    public DateTimeOffset? PeriodStart => Items.Data.Select(i => i.CurrentPeriodStart).Where(e => e is not null).Max() ?? CurrentPeriodStart;
}

/// <summary>A Stripe <c>subscription_item</c>.</summary>
public sealed record SubscriptionItem : StripeEntity, IHasId
{
    public required string Id { get; init; }
    public Price? Price { get; init; }
    public long? Quantity { get; init; }
    public DateTimeOffset? CurrentPeriodStart { get; init; }
    public DateTimeOffset? CurrentPeriodEnd { get; init; }
    public string? Subscription { get; init; }
    public DateTimeOffset Created { get; init; }
    public Dictionary<string, string> Metadata { get; init; } = [];
}

public sealed record CancellationDetails
{
    /// <summary><c>cancellation_requested</c>, <c>payment_failed</c>, <c>payment_disputed</c>, ...</summary>
    public string? Reason { get; init; }
    public string? Feedback { get; init; }
    public string? Comment { get; init; }
}

public sealed record SubscriptionPauseCollection
{
    /// <summary><c>keep_as_draft</c>, <c>mark_uncollectible</c> or <c>void</c>.</summary>
    public string? Behavior { get; init; }
    public DateTimeOffset? ResumesAt { get; init; }
}
