namespace Billing.Stripe;

public sealed record ProductCreateRequest : StripeRequest
{
    public required string Name { get; init; }
    /// <summary>Our own product id; Stripe generates <c>prod_...</c> when omitted.</summary>
    public string? Id { get; init; }
    public bool? Active { get; init; }
    public string? Description { get; init; }
    public List<string>? Images { get; init; }
    public string? Url { get; init; }
    /// <summary>Creates a price with the product and makes it the default price.</summary>
    public ProductDefaultPriceData? DefaultPriceData { get; init; }
    public List<ProductFeatureOptions>? MarketingFeatures { get; init; }
    public Dictionary<string, string?>? Metadata { get; init; }
}

public sealed record ProductUpdateRequest : StripeRequest
{
    public string? Name { get; init; }
    public bool? Active { get; init; }
    public string? Description { get; init; }
    public List<string>? Images { get; init; }
    public string? Url { get; init; }
    public string? DefaultPrice { get; init; }
    public List<ProductFeatureOptions>? MarketingFeatures { get; init; }
    public Dictionary<string, string?>? Metadata { get; init; }
}

public sealed record ProductDefaultPriceData
{
    public required string Currency { get; init; }
    public long? UnitAmount { get; init; }
    public RecurringOptions? Recurring { get; init; }
}

public sealed record ProductFeatureOptions(string Name);

public sealed record ProductListRequest : ListRequest
{
    public bool? Active { get; init; }
    public List<string>? Ids { get; init; }
    public DateRangeFilter? Created { get; init; }
}

public sealed record RecurringOptions
{
    public required RecurringInterval Interval { get; init; }
    public int? IntervalCount { get; init; }
    public UsageType? UsageType { get; init; }
    /// <summary>The billing meter of a metered price.</summary>
    public string? Meter { get; init; }
    public int? TrialPeriodDays { get; init; }
}

public sealed record PriceCreateRequest : StripeRequest
{
    public required string Currency { get; init; }
    public string? Product { get; init; }
    /// <summary>Creates a product inline instead of <see cref="Product"/>.</summary>
    public PriceProductData? ProductData { get; init; }
    public long? UnitAmount { get; init; }
    public string? UnitAmountDecimal { get; init; }
    public RecurringOptions? Recurring { get; init; }
    public string? LookupKey { get; init; }
    /// <summary>Moves <see cref="LookupKey"/> from the price holding it to this one, atomically.</summary>
    public bool? TransferLookupKey { get; init; }
    public string? Nickname { get; init; }
    public TaxBehavior? TaxBehavior { get; init; }
    public BillingScheme? BillingScheme { get; init; }
    public bool? Active { get; init; }
    public Dictionary<string, string?>? Metadata { get; init; }
}

public sealed record PriceProductData
{
    public required string Name { get; init; }
    public Dictionary<string, string?>? Metadata { get; init; }
}

public sealed record PriceUpdateRequest : StripeRequest
{
    /// <summary>False archives the price (prices cannot be deleted).</summary>
    public bool? Active { get; init; }
    public string? LookupKey { get; init; }
    public bool? TransferLookupKey { get; init; }
    public string? Nickname { get; init; }
    public TaxBehavior? TaxBehavior { get; init; }
    public Dictionary<string, string?>? Metadata { get; init; }
}

public sealed record PriceListRequest : ListRequest
{
    public bool? Active { get; init; }
    public string? Currency { get; init; }
    public string? Product { get; init; }
    public PriceType? Type { get; init; }
    /// <summary>Up to 10 lookup keys.</summary>
    public List<string>? LookupKeys { get; init; }
    public PriceRecurringFilter? Recurring { get; init; }
    public DateRangeFilter? Created { get; init; }
}

public sealed record PriceRecurringFilter
{
    public RecurringInterval? Interval { get; init; }
    public UsageType? UsageType { get; init; }
}
