using Billing.Orders;
using Billing.Tests.Catalog;
using Billing.Tests.EndToEnd;
using Billing.Tests.Infrastructure;
using Billing.Tests.Subscriptions;

namespace Billing.Tests.Orders;

/// <summary>
/// A purchase of a product Orders' projection does not hold yet: Catalog, asked as the caller, decides between
/// "not for sale yet" (409), "no such product" (404) and "could not be asked" (503, never a false 404).
/// </summary>
[Collection(InfrastructureCollection.Name)]
public sealed class PurchaseCatalogReadTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task A_product_only_Catalog_knows_is_409_an_unknown_one_404_and_without_Catalog_to_ask_503()
    {
        await using var catalog = await CatalogTestHost.StartWithEventsHeldAsync(infrastructure);
        await using var orders = await TestService.StartAsync(OrdersService.Build, infrastructure, OrdersService.Name,
            new Dictionary<string, string?>(SubscriptionsTestHost.Settings()) { ["services:catalog:http:0"] = catalog.Address.ToString() });
        await using var alone = await TestService.StartAsync(OrdersService.Build, infrastructure, OrdersService.Name, SubscriptionsTestHost.Settings());
        var app = TestApps.NewAppId();
        using var toCatalog = catalog.ClientFor(app);
        var product = (await toCatalog.PostAsync($"/v1/{app}/billing/products", new { name = "Ebook", priceCents = 1500, currency = "usd" }, 201))
            .GetProperty("id").GetString();
        var customer = await orders.CustomerAsync(app);
        using var client = orders.ClientFor(app);
        using var aloneClient = alone.ClientFor(app);
        object Purchase(string productId) => new
        {
            productId, customerId = customer, successUrl = "https://shop.example.com/ok", cancelUrl = "https://shop.example.com/no",
        };

        var notForSale = await client.PostAsync($"/v1/{app}/billing/purchase", Purchase(product!), 409);
        var unknown = await client.PostAsync($"/v1/{app}/billing/purchase", Purchase("prod_unknown"), 404);
        var unasked = await aloneClient.PostAsync($"/v1/{app}/billing/purchase", Purchase(product!), 503);

        Assert.Equal("conflict", notForSale.GetProperty("code").GetString());
        Assert.Equal("not_found", unknown.GetProperty("code").GetString());
        Assert.Equal("unavailable", unasked.GetProperty("code").GetString());
    }
}
