namespace Billing.Orders.Model;

/// <summary>A Catalog product as last published (ProductChanged); only a sellable one with a Stripe price can be bought.</summary>
public sealed class CatalogProduct
{
    public required string Id { get; init; }
    public required string AppId { get; init; }
    public required string Name { get; set; }
    public bool Active { get; set; }
    public bool Sellable { get; set; }
    public required string PriceId { get; set; }
    public long PriceCents { get; set; }
    public required string Currency { get; set; }
    public string? StripePriceId { get; set; }
    public long Version { get; set; }
}

/// <summary>The app's connected account as last published (ConnectAccountChanged).</summary>
public sealed class ConnectAccount
{
    public required string AppId { get; init; }
    public required string AccountId { get; set; }
    public bool ChargesEnabled { get; set; }
    public long Version { get; set; }
}
