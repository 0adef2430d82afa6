using Billing.Orders.Model;
using Billing.ServiceDefaults.Http;

namespace Billing.Orders.Peers;

/// <summary>
/// Reads a product from the Catalog service as the caller, for the moment between Catalog answering
/// <c>syncStatus: synced</c> and Orders consuming the ProductChanged that says so (about 0.1 s on a quiet
/// machine, seconds under load): a purchase made right after the product showed synced is not a 404. The
/// projection stays the events' to write (they carry its version); this read serves the one purchase.
/// </summary>
public sealed class CatalogProducts(HttpClient http, IHttpContextAccessor context, ILogger<CatalogProducts> logger)
    : PeerServiceReader(http, context, logger)
{
    private sealed record ProductView(string Id, string Name, long PriceCents, string Currency, string? PriceId, bool Active, StripeView Stripe);

    private sealed record StripeView(string? PriceId, string? SyncStatus);

    /// <returns>The product as Catalog has it (null: Catalog has none for this caller), or <c>Answered: false</c> when Catalog could not be asked.</returns>
    public async Task<(bool Answered, CatalogProduct? Product)> FindAsync(string appId, string productId, CancellationToken ct)
    {
        var (answered, view) = await AskAsCallerAsync<ProductView>(
            $"/v1/{Uri.EscapeDataString(appId)}/billing/products/{Uri.EscapeDataString(productId)}", ct);
        if (view?.PriceId is null) return (answered, null);
        return (true, new CatalogProduct
        {
            Id = view.Id, AppId = appId, Name = view.Name, Active = view.Active,
            Sellable = view.Active && view.Stripe.SyncStatus == "synced" && view.Stripe.PriceId is not null,
            PriceId = view.PriceId, PriceCents = view.PriceCents, Currency = view.Currency, StripePriceId = view.Stripe.PriceId,
        });
    }
}
