namespace Billing.Subscriptions.Model;

/// <summary>A plan as Catalog last announced it (PlanChanged): the projection checkout sells from.</summary>
public sealed class CatalogPlan
{
    public required string Id { get; init; }
    public required string AppId { get; init; }
    public required string Name { get; set; }
    public bool Active { get; set; }
    public bool Sellable { get; set; }
    public int TrialDays { get; set; }
    public Dictionary<string, string> Metadata { get; set; } = [];
    public string? StripeProductId { get; set; }
    public long Version { get; set; }
    public List<CatalogPrice> Prices { get; set; } = [];
}

/// <summary>One price of a projected plan, with the Stripe price it maps to.</summary>
public sealed class CatalogPrice
{
    public required string Id { get; init; }
    public required string PlanId { get; init; }
    public required string AppId { get; init; }
    public required string Interval { get; set; }
    public long AmountCents { get; set; }
    public required string Currency { get; set; }
    public bool Active { get; set; }
    public string? StripePriceId { get; set; }
}
