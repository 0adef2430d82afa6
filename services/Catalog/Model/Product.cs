namespace Billing.Catalog.Model;

/// <summary>A one-time product an app sells; one active price at a time.</summary>
public sealed class Product : CatalogItem
{
    public Price? CurrentPrice => Prices.FirstOrDefault(p => p.Active);
}
