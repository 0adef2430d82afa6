namespace Billing.Stripe;

/// <summary>A Stripe <c>product</c>.</summary>
public sealed record Product : StripeEntity, IHasId
{
    public required string Id { get; init; }
    public bool Active { get; init; }
    public string Name { get; init; } = "";
    public string? Description { get; init; }
    public Expandable<Price>? DefaultPrice { get; init; }
    public List<string> Images { get; init; } = [];
    public List<ProductMarketingFeature> MarketingFeatures { get; init; } = [];
    public string? Url { get; init; }
    public DateTimeOffset Created { get; init; }
    public DateTimeOffset? Updated { get; init; }
    public Dictionary<string, string> Metadata { get; init; } = [];
    public bool Livemode { get; init; }
}

public sealed record ProductMarketingFeature
{
    public string? Name { get; init; }
}

/// <summary>A Stripe <c>price</c>.</summary>
public sealed record Price : StripeEntity, IHasId
{
    public required string Id { get; init; }
    public bool Active { get; init; }
    public string Currency { get; init; } = "";
    /// <summary>Minor units; null for decimal, tiered or custom amounts.</summary>
    public long? UnitAmount { get; init; }
    public string? UnitAmountDecimal { get; init; }
    /// <summary><c>one_time</c> or <c>recurring</c>.</summary>
    public string Type { get; init; } = "";
    public PriceRecurring? Recurring { get; init; }
    public string? LookupKey { get; init; }
    public string? Nickname { get; init; }
    public Expandable<Product>? Product { get; init; }
    /// <summary><c>per_unit</c> or <c>tiered</c>.</summary>
    public string? BillingScheme { get; init; }
    public string? TaxBehavior { get; init; }
    public DateTimeOffset Created { get; init; }
    public Dictionary<string, string> Metadata { get; init; } = [];
    public bool Livemode { get; init; }
}

public sealed record PriceRecurring
{
    /// <summary><c>day</c>, <c>week</c>, <c>month</c> or <c>year</c>.</summary>
    public string Interval { get; init; } = "";
    public int IntervalCount { get; init; } = 1;
    /// <summary><c>licensed</c> or <c>metered</c>.</summary>
    public string? UsageType { get; init; }
    /// <summary>The billing meter of a metered price (current API).</summary>
    public string? Meter { get; init; }
    public int? TrialPeriodDays { get; init; }
}
