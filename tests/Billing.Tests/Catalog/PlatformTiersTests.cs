using System.Net.Http.Json;
using System.Text.Json;
using Billing.Catalog.Infrastructure;
using Billing.Catalog.Platform;
using Billing.Contracts;
using Billing.Tests.Infrastructure;
using Billing.Tests.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Tests.Catalog;

/// <summary>The platform app's tiers: seeded once at start, with monthly and yearly prices, synced to Stripe like any plan.</summary>
[Collection(InfrastructureCollection.Name)]
public sealed class PlatformTiersTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task The_tiers_exist_once_with_their_prices_and_limits_and_reach_Stripe()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        await using var catalog = await CatalogTestHost.StartAsync(infrastructure,
            CatalogTestHost.Settings(sandbox.BaseUrl, syncRetryInterval: TimeSpan.FromSeconds(1)));
        var client = catalog.ClientFor(PlatformApp.Id);
        await WaitForTiersAsync(client);
        // The test database outlives sandboxes: an earlier host synced these tiers to a Stripe gone since. Forget that
        // Stripe, as a fresh install would be, and let the retry find them.
        await catalog.InScopeAsync(async services =>
        {
            var db = services.GetRequiredService<CatalogDbContext>();
            await db.Database.ExecuteSqlAsync($"""
                update catalog.prices set stripe_price_id = null, stripe_deactivated = false where app_id = {PlatformApp.Id};
                update catalog.plans set stripe_product_id = null, stripe_sync_status = 'Pending', sync_requested_at = now() - interval '1 hour'
                where app_id = {PlatformApp.Id}
                """);
            return 0;
        });

        var plans = new Dictionary<string, JsonElement>();
        foreach (var tier in PlatformApp.Tiers)
            plans[tier] = await CatalogTestHost.WaitForSyncAsync(client, $"/v1/{PlatformApp.Id}/billing/plans/plan_platform_{tier}");
        var addedAgain = await catalog.Services.GetRequiredService<PlatformTiersSeeder>().SeedAsync(CancellationToken.None);

        Assert.Equal(0, addedAgain);
        Assert.Equal(4, (await WaitForTiersAsync(client)).Count);
        Assert.All(PlatformApp.Tiers, tier => Assert.Equal(tier, plans[tier].GetProperty("metadata").GetProperty(PlatformApp.TierKey).GetString()));
        var starter = plans["starter"];
        Assert.Equal(1900, starter.GetProperty("priceCents").GetInt64());
        Assert.Equal([(1900L, "month"), (19000L, "year")], starter.GetProperty("prices").EnumerateArray()
            .Select(p => (p.GetProperty("amountCents").GetInt64(), p.GetProperty("interval").GetString())).Order());
        Assert.Equal(0, plans["free"].GetProperty("priceCents").GetInt64());
        var limits = PlatformApp.Tiers.Select(t => plans[t].GetProperty("limits").GetProperty("ai_tokens").GetInt64()).ToList();
        Assert.Equal(limits.Order(), limits);
        Assert.Equal(4, limits.Distinct().Count());
        foreach (var meter in new[] { "storage_bytes", "lambda_invocations", "bandwidth_bytes" })
            Assert.All(plans.Values, p => Assert.True(p.GetProperty("limits").GetProperty(meter).GetInt64() > 0));

        var stripeProduct = Assert.Single(await CatalogTestHost.SandboxProductsAsync(sandbox, "plan_id", "plan_platform_pro"));
        Assert.Equal(PlatformApp.Id, stripeProduct.GetProperty("metadata").GetProperty("app_id").GetString());
        var stripePrices = await CatalogTestHost.SandboxPricesAsync(sandbox, stripeProduct.GetProperty("id").GetString()!);
        Assert.Equal([(4900L, "month"), (49000L, "year")], stripePrices
            .Select(p => (p.GetProperty("unit_amount").GetInt64(), p.GetProperty("recurring").GetProperty("interval").GetString())).Order());
    }

    private static async Task<List<string>> WaitForTiersAsync(HttpClient client)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        List<string> ids;
        do
        {
            var body = await client.GetFromJsonAsync<JsonElement>($"/v1/{PlatformApp.Id}/billing/plans?includeArchived=true&limit=100");
            ids = body.GetProperty("data").EnumerateArray().Select(p => p.GetProperty("id").GetString()!).Where(PlatformTiers.PlanIds.Contains).ToList();
            if (ids.Count == 4) return ids;
            await Task.Delay(50);
        }
        while (DateTime.UtcNow < deadline);
        throw new Xunit.Sdk.XunitException($"The platform tiers were not all seeded: {string.Join(", ", ids)}");
    }
}
