namespace Billing.Catalog.Model;

/// <summary>A recurring plan an app sells: monthly and/or yearly prices, features, usage limits, a trial.</summary>
public sealed class Plan : CatalogItem
{
    public List<string> Features { get; set; } = [];
    public Dictionary<string, long> Limits { get; set; } = [];
    public int TrialDays { get; set; }

    /// <summary>The price API.md shows as <c>priceCents</c>/<c>interval</c>: the active monthly one, else the only active one.</summary>
    public Price? ShownPrice =>
        Prices.FirstOrDefault(p => p.Active && p.Interval == BillingInterval.Month) ?? Prices.FirstOrDefault(p => p.Active);
}
