using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Billing.Tests.Infrastructure;

namespace Billing.Tests.Catalog;

/// <summary>One-time products: create, read, list, change, archive, and their Stripe product and one-time price.</summary>
[Collection(InfrastructureCollection.Name)]
public sealed class ProductsApiTests(InfrastructureFixture infrastructure, CatalogTestHost host) : IClassFixture<CatalogTestHost>
{
    [Fact]
    public async Task A_product_is_created_and_reaches_Stripe_with_a_one_time_price()
    {
        var app = TestApps.NewAppId();
        var client = host.Catalog.ClientFor(app, "catalog:write");

        var response = await client.PostAsJsonAsync($"/v1/{app}/billing/products",
            new { name = "E-book", description = "A book", priceCents = 1500, metadata = new Dictionary<string, string> { ["sku"] = "eb-1" } });
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        var product = await CatalogTestHost.WaitForSyncAsync(client, response.Headers.Location!.ToString());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.StartsWith("prod_", created.GetProperty("id").GetString());
        Assert.StartsWith("price_", created.GetProperty("priceId").GetString());
        Assert.Equal(1500, product.GetProperty("priceCents").GetInt64());
        Assert.Equal("usd", product.GetProperty("currency").GetString());
        Assert.Equal("eb-1", product.GetProperty("metadata").GetProperty("sku").GetString());
        var stripe = product.GetProperty("stripe");
        var stripeProduct = await host.Sandbox.GetAsync($"/v1/products/{stripe.GetProperty("productId").GetString()}");
        Assert.Equal("E-book", stripeProduct.GetProperty("name").GetString());
        Assert.Equal("A book", stripeProduct.GetProperty("description").GetString());
        Assert.Equal(app, stripeProduct.GetProperty("metadata").GetProperty("app_id").GetString());
        Assert.Equal(created.GetProperty("id").GetString(), stripeProduct.GetProperty("metadata").GetProperty("product_id").GetString());
        var stripePrice = await host.Sandbox.GetAsync($"/v1/prices/{stripe.GetProperty("priceId").GetString()}");
        Assert.Equal("one_time", stripePrice.GetProperty("type").GetString());
        Assert.Equal(1500, stripePrice.GetProperty("unit_amount").GetInt64());
    }

    [Fact]
    public async Task A_new_amount_makes_a_new_price_with_its_own_Stripe_price_and_the_old_one_inactive()
    {
        var app = TestApps.NewAppId();
        var client = host.Catalog.ClientFor(app, "catalog:write");
        var location = (await client.PostAsJsonAsync($"/v1/{app}/billing/products", new { name = "Pack", priceCents = 500 })).Headers.Location!.ToString();
        var before = await CatalogTestHost.WaitForSyncAsync(client, location);

        var update = await client.PutAsJsonAsync(location, new { priceCents = 800, description = "Bigger" });
        var after = await CatalogTestHost.WaitForSyncAsync(client, location);

        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        Assert.NotEqual(before.GetProperty("priceId").GetString(), after.GetProperty("priceId").GetString());
        Assert.Equal(800, after.GetProperty("priceCents").GetInt64());
        Assert.Equal("Bigger", after.GetProperty("description").GetString());
        var oldStripePrice = await host.Sandbox.GetAsync($"/v1/prices/{before.GetProperty("stripe").GetProperty("priceId").GetString()}");
        var newStripePrice = await host.Sandbox.GetAsync($"/v1/prices/{after.GetProperty("stripe").GetProperty("priceId").GetString()}");
        Assert.False(oldStripePrice.GetProperty("active").GetBoolean());
        Assert.True(newStripePrice.GetProperty("active").GetBoolean());
        Assert.Equal(800, newStripePrice.GetProperty("unit_amount").GetInt64());
    }

    [Fact]
    public async Task Products_list_page_and_archive()
    {
        var app = TestApps.NewAppId();
        var client = host.Catalog.ClientFor(app, "catalog:write");
        var locations = new List<string>();
        for (var i = 0; i < 3; i++)
            locations.Add((await client.PostAsJsonAsync($"/v1/{app}/billing/products", new { name = $"P{i}", priceCents = 100 * (i + 1) })).Headers.Location!.ToString());
        await CatalogTestHost.WaitForSyncAsync(client, locations[0]);

        var archive = await client.PostAsync(locations[0] + "/archive", null);
        var archived = await CatalogTestHost.WaitForSyncAsync(client, locations[0]);
        var first = await client.GetFromJsonAsync<JsonElement>($"/v1/{app}/billing/products?limit=1");
        var all = await client.GetFromJsonAsync<JsonElement>($"/v1/{app}/billing/products?includeArchived=true");

        Assert.Equal(HttpStatusCode.OK, archive.StatusCode);
        Assert.False(archived.GetProperty("active").GetBoolean());
        Assert.Equal("P1", first.GetProperty("data")[0].GetProperty("name").GetString());
        Assert.True(first.GetProperty("hasMore").GetBoolean());
        Assert.Equal(3, all.GetProperty("data").GetArrayLength());
        Assert.False((await host.Sandbox.GetAsync($"/v1/products/{archived.GetProperty("stripe").GetProperty("productId").GetString()}"))
            .GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task ProductChanged_carries_the_current_price_and_a_growing_version()
    {
        await using var probe = await CatalogEventProbe.StartAsync(infrastructure);
        var app = TestApps.NewAppId();
        var client = host.Catalog.ClientFor(app, "catalog:write");
        var location = (await client.PostAsJsonAsync($"/v1/{app}/billing/products", new { name = "Kit", priceCents = 2500 })).Headers.Location!.ToString();
        var product = await CatalogTestHost.WaitForSyncAsync(client, location);

        var events = await CatalogEventProbe.WaitAsync(() => probe.Products(product.GetProperty("id").GetString()!), e => e.Count >= 2);

        Assert.Equal([1L, 2L], events.Select(e => e.Product.Version).Order());
        var synced = events.Single(e => e.Product.Version == 2).Product;
        Assert.True(synced.Sellable);
        Assert.Equal(product.GetProperty("priceId").GetString(), synced.PriceId);
        Assert.Equal(product.GetProperty("stripe").GetProperty("priceId").GetString(), synced.StripePriceId);
        Assert.Equal(2500, synced.PriceCents);
    }

    [Fact]
    public async Task Bad_products_are_refused_by_field_and_another_apps_product_is_not_found()
    {
        var app = TestApps.NewAppId();
        var other = TestApps.NewAppId();
        var client = host.Catalog.ClientFor(app, "catalog:write");

        var invalid = await client.PostAsJsonAsync($"/v1/{app}/billing/products", new { name = "", priceCents = -1, currency = "US" });
        var problem = await invalid.Content.ReadFromJsonAsync<JsonElement>();
        var created = await (await client.PostAsJsonAsync($"/v1/{app}/billing/products", new { name = "Mine", priceCents = 100 }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var productId = created.GetProperty("id").GetString();
        var intruder = host.Catalog.ClientFor(other);

        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal(["currency", "name", "priceCents"], problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(HttpStatusCode.NotFound, (await intruder.GetAsync($"/v1/{other}/billing/products/{productId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await intruder.PutAsJsonAsync($"/v1/{other}/billing/products/{productId}", new { name = "X" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await intruder.PostAsync($"/v1/{other}/billing/products/{productId}/archive", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await intruder.GetAsync($"/v1/{other}/billing/plans/{productId}")).StatusCode);
    }
}
