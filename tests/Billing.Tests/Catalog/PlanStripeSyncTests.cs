using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Billing.Catalog.Infrastructure;
using Billing.Catalog.Model;
using Billing.Catalog.StripeSync;
using Billing.ServiceDefaults.Api;
using Billing.ServiceDefaults.Messaging;
using Billing.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Tests.Catalog;

/// <summary>Plans against the Stripe sandbox: what the API answers, what Stripe ends up holding, what is published.</summary>
[Collection(InfrastructureCollection.Name)]
public sealed class PlanStripeSyncTests(InfrastructureFixture infrastructure, CatalogTestHost host) : IClassFixture<CatalogTestHost>
{
    [Fact]
    public async Task A_plan_made_with_the_shorthand_reaches_Stripe_as_a_product_and_a_recurring_price_named_by_app_id()
    {
        var app = TestApps.NewAppId();
        var client = host.Catalog.ClientFor(app, "catalog:write");

        var response = await client.PostAsJsonAsync($"/v1/{app}/billing/plans", new { name = "Starter", priceCents = 900, interval = "month" });
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        var plan = await CatalogTestHost.WaitForSyncAsync(client, response.Headers.Location!.ToString());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("pending", created.GetProperty("stripe").GetProperty("syncStatus").GetString());
        var price = Assert.Single(plan.GetProperty("prices").EnumerateArray());
        Assert.StartsWith("price_", price.GetProperty("id").GetString());
        Assert.Equal(900, plan.GetProperty("priceCents").GetInt64());
        Assert.Equal("month", plan.GetProperty("interval").GetString());
        var stripeProductId = plan.GetProperty("stripe").GetProperty("productId").GetString()!;
        var product = await host.Sandbox.GetAsync($"/v1/products/{stripeProductId}");
        Assert.Equal("Starter", product.GetProperty("name").GetString());
        Assert.Equal(app, product.GetProperty("metadata").GetProperty("app_id").GetString());
        Assert.Equal(plan.GetProperty("id").GetString(), product.GetProperty("metadata").GetProperty("plan_id").GetString());
        var stripePrice = Assert.Single(await CatalogTestHost.SandboxPricesAsync(host.Sandbox, stripeProductId));
        Assert.Equal(900, stripePrice.GetProperty("unit_amount").GetInt64());
        Assert.Equal("month", stripePrice.GetProperty("recurring").GetProperty("interval").GetString());
        Assert.Equal(app, stripePrice.GetProperty("metadata").GetProperty("app_id").GetString());
        Assert.Equal(price.GetProperty("id").GetString(), stripePrice.GetProperty("metadata").GetProperty("price_id").GetString());
    }

    [Fact]
    public async Task A_plan_made_with_monthly_and_yearly_prices_shows_the_monthly_one_and_gets_both_in_Stripe()
    {
        var app = TestApps.NewAppId();
        var client = host.Catalog.ClientFor(app, "catalog:write");

        var response = await client.PostAsJsonAsync($"/v1/{app}/billing/plans", new
        {
            name = "Pro", currency = "eur",
            prices = new object[] { new { interval = "year", amountCents = 49_000 }, new { interval = "month", amountCents = 4_900 } },
            features = new[] { "sso" }, limits = new Dictionary<string, long> { ["ai_tokens"] = 1_000_000 }, trialDays = 7,
        });
        var plan = await CatalogTestHost.WaitForSyncAsync(client, response.Headers.Location!.ToString());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(4_900, plan.GetProperty("priceCents").GetInt64());
        Assert.Equal("month", plan.GetProperty("interval").GetString());
        Assert.Equal("eur", plan.GetProperty("currency").GetString());
        Assert.Equal(["month", "year"], plan.GetProperty("prices").EnumerateArray().Select(p => p.GetProperty("interval").GetString()).Order());
        var stripePrices = await CatalogTestHost.SandboxPricesAsync(host.Sandbox, plan.GetProperty("stripe").GetProperty("productId").GetString()!);
        Assert.Equal([(4_900L, "month"), (49_000L, "year")], stripePrices
            .Select(p => (p.GetProperty("unit_amount").GetInt64(), p.GetProperty("recurring").GetProperty("interval").GetString())).Order());
        Assert.All(stripePrices, p => Assert.Equal("eur", p.GetProperty("currency").GetString()));
    }

    [Fact]
    public async Task A_new_amount_makes_a_new_price_and_retires_the_old_one_here_and_in_Stripe()
    {
        var app = TestApps.NewAppId();
        var client = host.Catalog.ClientFor(app, "catalog:write");
        var location = (await client.PostAsJsonAsync($"/v1/{app}/billing/plans", new { name = "Starter", priceCents = 900, interval = "month" }))
            .Headers.Location!.ToString();
        var before = await CatalogTestHost.WaitForSyncAsync(client, location);
        var oldPriceId = before.GetProperty("prices")[0].GetProperty("id").GetString();

        var response = await client.PutAsJsonAsync(location, new { name = "Starter+", priceCents = 1200 });
        var after = await CatalogTestHost.WaitForSyncAsync(client, location);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Starter+", after.GetProperty("name").GetString());
        Assert.Equal(1200, after.GetProperty("priceCents").GetInt64());
        var prices = after.GetProperty("prices").EnumerateArray().ToDictionary(p => p.GetProperty("id").GetString()!);
        Assert.Equal(2, prices.Count);
        Assert.False(prices[oldPriceId!].GetProperty("active").GetBoolean());
        var newPrice = prices.Values.Single(p => p.GetProperty("active").GetBoolean());
        Assert.NotEqual(oldPriceId, newPrice.GetProperty("id").GetString());
        Assert.Equal(1200, newPrice.GetProperty("amountCents").GetInt64());

        var stripeProductId = after.GetProperty("stripe").GetProperty("productId").GetString()!;
        Assert.Equal(before.GetProperty("stripe").GetProperty("productId").GetString(), stripeProductId);
        Assert.Equal("Starter+", (await host.Sandbox.GetAsync($"/v1/products/{stripeProductId}")).GetProperty("name").GetString());
        var stripePrices = await CatalogTestHost.SandboxPricesAsync(host.Sandbox, stripeProductId);
        Assert.Equal([(900L, false), (1200L, true)],
            stripePrices.Select(p => (p.GetProperty("unit_amount").GetInt64(), p.GetProperty("active").GetBoolean())).Order());
    }

    [Fact]
    public async Task The_same_amount_again_keeps_the_price_and_a_features_change_needs_no_new_sync()
    {
        var app = TestApps.NewAppId();
        var client = host.Catalog.ClientFor(app, "catalog:write");
        var location = (await client.PostAsJsonAsync($"/v1/{app}/billing/plans", new { name = "Starter", priceCents = 900, interval = "month" }))
            .Headers.Location!.ToString();
        var before = await CatalogTestHost.WaitForSyncAsync(client, location);

        var after = await (await client.PutAsJsonAsync(location, new { priceCents = 900, features = new[] { "exports" } }))
            .Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("synced", after.GetProperty("stripe").GetProperty("syncStatus").GetString());
        Assert.Equal(["exports"], after.GetProperty("features").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(before.GetProperty("prices")[0].GetProperty("id").GetString(), Assert.Single(after.GetProperty("prices").EnumerateArray()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task Archiving_takes_the_plan_out_of_the_list_and_turns_its_Stripe_product_inactive()
    {
        var app = TestApps.NewAppId();
        var client = host.Catalog.ClientFor(app, "catalog:write");
        var location = (await client.PostAsJsonAsync($"/v1/{app}/billing/plans", new { name = "Old", priceCents = 500, interval = "month" }))
            .Headers.Location!.ToString();
        await CatalogTestHost.WaitForSyncAsync(client, location);

        var archive = await client.PostAsync(location + "/archive", null);
        var archived = await CatalogTestHost.WaitForSyncAsync(client, location);
        var list = await client.GetFromJsonAsync<JsonElement>($"/v1/{app}/billing/plans");
        var withArchived = await client.GetFromJsonAsync<JsonElement>($"/v1/{app}/billing/plans?includeArchived=true");

        Assert.Equal(HttpStatusCode.OK, archive.StatusCode);
        Assert.False(archived.GetProperty("active").GetBoolean());
        Assert.Equal(0, list.GetProperty("data").GetArrayLength());
        Assert.Equal(1, withArchived.GetProperty("data").GetArrayLength());
        var product = await host.Sandbox.GetAsync($"/v1/products/{archived.GetProperty("stripe").GetProperty("productId").GetString()}");
        Assert.False(product.GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task Two_copies_of_a_sync_and_a_push_run_twice_make_one_Stripe_product_and_one_price()
    {
        var app = TestApps.NewAppId();
        var plan = new Plan { Id = Ids.New("plan"), AppId = app, Name = "Twice" };
        plan.SetPrice(BillingInterval.Month, 700, "usd", DateTimeOffset.UtcNow);
        await host.Catalog.InScopeAsync(async services =>
        {
            var db = services.GetRequiredService<CatalogDbContext>();
            db.Plans.Add(plan);
            db.AddOutboxMessage(new StripeSyncRequested(Guid.NewGuid(), DateTimeOffset.UtcNow, app, plan.Id));
            db.AddOutboxMessage(new StripeSyncRequested(Guid.NewGuid(), DateTimeOffset.UtcNow, app, plan.Id));
            return await db.SaveChangesAsync();
        });
        var client = host.Catalog.ClientFor(app);
        await CatalogTestHost.WaitForSyncAsync(client, $"/v1/{app}/billing/plans/{plan.Id}");

        // The push itself, twice more from a state that knows no Stripe ids (as after a lost commit): the idempotency keys answer.
        var productIds = new List<string>();
        for (var i = 0; i < 2; i++)
            productIds.Add(await host.Catalog.InScopeAsync(async services =>
            {
                var fresh = await services.GetRequiredService<CatalogDbContext>().Plans.AsNoTracking().Include(p => p.Prices).SingleAsync(p => p.Id == plan.Id);
                fresh.StripeProductId = null;
                fresh.Prices.ForEach(p => p.StripePriceId = null);
                await services.GetRequiredService<StripeCatalogPush>().PushAsync(fresh, CancellationToken.None);
                return fresh.StripeProductId!;
            }));

        var products = await CatalogTestHost.SandboxProductsAsync(host.Sandbox, "plan_id", plan.Id);
        var product = Assert.Single(products);
        Assert.All(productIds, id => Assert.Equal(product.GetProperty("id").GetString(), id));
        Assert.Single(await CatalogTestHost.SandboxPricesAsync(host.Sandbox, product.GetProperty("id").GetString()!));
    }

    [Fact]
    public async Task PlanChanged_is_published_for_each_change_and_sync_with_a_growing_version()
    {
        await using var probe = await CatalogEventProbe.StartAsync(infrastructure);
        var app = TestApps.NewAppId();
        var client = host.Catalog.ClientFor(app, "catalog:write");
        var location = (await client.PostAsJsonAsync($"/v1/{app}/billing/plans", new { name = "Versioned", priceCents = 900, interval = "month" }))
            .Headers.Location!.ToString();
        var planId = location.Split('/')[^1];
        await CatalogTestHost.WaitForSyncAsync(client, location);
        await client.PutAsJsonAsync(location, new { priceCents = 1000 });
        await CatalogTestHost.WaitForSyncAsync(client, location);

        var events = await CatalogEventProbe.WaitAsync(() => probe.Plans(planId), e => e.Count >= 4);

        Assert.Equal([1L, 2L, 3L, 4L], events.Select(e => e.Plan.Version).Order());
        var first = events.Single(e => e.Plan.Version == 1).Plan;
        var last = events.Single(e => e.Plan.Version == 4).Plan;
        Assert.False(first.Sellable);
        Assert.Null(first.StripeProductId);
        Assert.False(events.Single(e => e.Plan.Version == 3).Plan.Sellable);
        Assert.True(last.Sellable);
        Assert.Equal(app, events[0].AppId);
        var active = Assert.Single(last.Prices, p => p.Active);
        Assert.Equal((1000L, "month"), (active.AmountCents, active.Interval));
        Assert.NotNull(active.StripePriceId);
        Assert.Equal(2, last.Prices.Count);
    }

    [Fact]
    public async Task The_public_catalog_lists_only_active_plans_already_in_Stripe()
    {
        var app = TestApps.NewAppId();
        var client = host.Catalog.ClientFor(app, "catalog:write");
        var sellable = (await client.PostAsJsonAsync($"/v1/{app}/billing/plans", new { name = "Sellable", priceCents = 900, interval = "month" }))
            .Headers.Location!.ToString();
        var archived = (await client.PostAsJsonAsync($"/v1/{app}/billing/plans", new { name = "Archived", priceCents = 900, interval = "month" }))
            .Headers.Location!.ToString();
        await CatalogTestHost.WaitForSyncAsync(client, sellable);
        await CatalogTestHost.WaitForSyncAsync(client, archived);
        await client.PostAsync(archived + "/archive", null);
        await CatalogTestHost.WaitForSyncAsync(client, archived);
        // Not yet in Stripe: saved without its sync (the sweeper here waits minutes).
        var unsynced = new Plan { Id = Ids.New("plan"), AppId = app, Name = "Unsynced" };
        unsynced.SetPrice(BillingInterval.Month, 100, "usd", DateTimeOffset.UtcNow);
        await host.Catalog.InScopeAsync(async services =>
        {
            var db = services.GetRequiredService<CatalogDbContext>();
            db.Plans.Add(unsynced);
            return await db.SaveChangesAsync();
        });
        var publicClient = host.Catalog.ClientAs(TestIdentity.PublishableKey(app));

        var list = await publicClient.GetFromJsonAsync<JsonElement>($"/v1/{app}/billing/plans?includeArchived=true");
        var readUnsynced = await publicClient.GetAsync($"/v1/{app}/billing/plans/{unsynced.Id}");
        var readArchived = await publicClient.GetAsync(archived);
        var readSellable = await publicClient.GetAsync(sellable);
        var secretList = await client.GetFromJsonAsync<JsonElement>($"/v1/{app}/billing/plans");

        Assert.Equal(["Sellable"], list.GetProperty("data").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, readUnsynced.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, readArchived.StatusCode);
        Assert.Equal(HttpStatusCode.OK, readSellable.StatusCode);
        Assert.Equal(["Sellable", "Unsynced"], secretList.GetProperty("data").EnumerateArray().Select(p => p.GetProperty("name").GetString()).Order());
        var write = await publicClient.PostAsJsonAsync($"/v1/{app}/billing/plans", new { name = "X", priceCents = 1, interval = "month" });
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
    }
}
