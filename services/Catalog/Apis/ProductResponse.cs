using System.Text.Json.Serialization;
using Billing.Catalog.Model;

namespace Billing.Catalog.Apis;

public sealed record ProductStripe(
    string? ProductId, string? PriceId, StripeSyncStatus SyncStatus,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error);

/// <summary>A one-time product as API.md shows it: its current price inline (<c>priceId</c> is ours, <c>price_…</c>).</summary>
public sealed record ProductResponse(
    string Id, string Name, string? Description, long PriceCents, string Currency, string? PriceId, bool Active,
    IReadOnlyDictionary<string, string> Metadata, ProductStripe Stripe, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static ProductResponse From(Product product)
    {
        var price = product.CurrentPrice;
        return new(product.Id, product.Name, product.Description, price?.AmountCents ?? 0, price?.Currency ?? "usd", price?.Id, product.Active,
            product.Metadata, new ProductStripe(product.StripeProductId, price?.StripePriceId, product.StripeSyncStatus, product.StripeSyncError),
            product.CreatedAt, product.UpdatedAt);
    }
}
