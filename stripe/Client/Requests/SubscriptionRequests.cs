namespace Billing.Stripe;

public sealed record SubscriptionUpdateRequest : StripeRequest
{
    /// <summary>True keeps the subscription active until the period end, then cancels it.</summary>
    public bool? CancelAtPeriodEnd { get; init; }
    public DateTimeOffset? CancelAt { get; init; }
    public CancellationDetailsOptions? CancellationDetails { get; init; }
    public List<SubscriptionItemOptions>? Items { get; init; }
    public ProrationBehavior? ProrationBehavior { get; init; }
    public PaymentBehavior? PaymentBehavior { get; init; }
    /// <summary>A time; to end the trial now, send <c>ExtraParams["trial_end"] = "now"</c>.</summary>
    public DateTimeOffset? TrialEnd { get; init; }
    /// <summary>Pauses collection; to resume, send <c>ExtraParams["pause_collection"] = ""</c>.</summary>
    public PauseCollectionOptions? PauseCollection { get; init; }
    public string? DefaultPaymentMethod { get; init; }
    public Dictionary<string, string?>? Metadata { get; init; }
}

public sealed record SubscriptionItemOptions
{
    /// <summary>An existing item (<c>si_...</c>) to change or delete; omit to add an item.</summary>
    public string? Id { get; init; }
    public string? Price { get; init; }
    public long? Quantity { get; init; }
    public bool? Deleted { get; init; }
}

public sealed record CancellationDetailsOptions
{
    public string? Comment { get; init; }
    /// <summary><c>customer_service</c>, <c>low_quality</c>, <c>missing_features</c>, <c>other</c>, <c>switched_service</c>, <c>too_complex</c>, <c>too_expensive</c>, <c>unused</c>.</summary>
    public string? Feedback { get; init; }
}

public sealed record PauseCollectionOptions
{
    public required PauseCollectionBehavior Behavior { get; init; }
    public DateTimeOffset? ResumesAt { get; init; }
}

public sealed record SubscriptionCancelRequest : StripeRequest
{
    /// <summary>Invoice pending usage and prorations now.</summary>
    public bool? InvoiceNow { get; init; }
    public bool? Prorate { get; init; }
    public CancellationDetailsOptions? CancellationDetails { get; init; }
}

public sealed record SubscriptionListRequest : ListRequest
{
    public string? Customer { get; init; }
    public string? Price { get; init; }
    /// <summary>A subscription status, or <c>all</c> / <c>ended</c>; Stripe omits canceled ones by default.</summary>
    public string? Status { get; init; }
    public string? TestClock { get; init; }
    public DateRangeFilter? Created { get; init; }
}

public sealed record InvoiceListRequest : ListRequest
{
    public string? Customer { get; init; }
    public string? Subscription { get; init; }
    public InvoiceStatus? Status { get; init; }
    public DateRangeFilter? Created { get; init; }
}
