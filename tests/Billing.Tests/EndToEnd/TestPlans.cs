using System.Text.Json;
using Billing.Catalog.Infrastructure;
using Billing.Catalog.Platform;
using Billing.Catalog.StripeSync;
using Billing.Contracts;
using Billing.Subscriptions.Infrastructure;
using Billing.Subscriptions.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Tests.EndToEnd;

/// <summary>A sellable plan: our plan and price ids, as the Catalog answered them.</summary>
public sealed record TestPlan(string Id, string MonthlyPriceId, string? YearlyPriceId);

/// <summary>
/// Plans for the end-to-end tests, made as an app makes them: <c>POST /v1/{appId}/billing/plans</c>
/// through the gateway, then waiting until the Catalog synced them to the sandbox and the
/// Subscriptions service can sell them. The platform app's plans are the tiers the Catalog seeds.
/// </summary>
public sealed class TestPlans(SystemFixture system)
{
    private Task? _tiersOnThisSandbox;

    /// <summary>A plan of the steps' app with a monthly price and (unless <paramref name="yearlyCents"/> is null) a yearly one.</summary>
    public async Task<TestPlan> CreateAsync(
        BillingSteps steps, long monthlyCents = 2900, long? yearlyCents = 29000, int trialDays = 0, IReadOnlyDictionary<string, long>? limits = null)
    {
        object[] prices = yearlyCents is { } yearly
            ? [new { interval = "month", amountCents = monthlyCents }, new { interval = "year", amountCents = yearly }]
            : [new { interval = "month", amountCents = monthlyCents }];
        var created = await steps.Client.PostAsync(steps.Path("plans"),
            new { name = "Pro " + Guid.NewGuid().ToString("N")[..6], prices, trialDays, features = new[] { "Everything" }, limits = limits ?? new Dictionary<string, long>() }, 201);
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal("pending", created.GetProperty("stripe").GetProperty("syncStatus").GetString());

        var synced = await SystemFixture.EventuallyAsync(() => steps.Client.GetAsync(steps.Path($"plans/{id}"), 200), SyncedPlan);
        Assert.True(SyncedPlan(synced), $"The plan did not reach syncStatus synced: {synced}");
        await SellableAsync(id, synced.GetProperty("stripe").GetProperty("productId").GetString()!);
        return new TestPlan(id, PriceId(synced, "month")!, PriceId(synced, "year"));
    }

    /// <summary>
    /// A platform tier as the Catalog seeded it (<c>plan_platform_starter</c>…), synced to this fixture's
    /// sandbox and sellable in Subscriptions.
    /// </summary>
    public async Task<TestPlan> PlatformTierAsync(string tier)
    {
        await (_tiersOnThisSandbox ??= SyncTiersToThisSandboxAsync());
        var id = PlatformTiers.PlanId(tier);
        var plan = await system.Catalog.ClientFor(PlatformApp.Id).GetAsync($"/v1/{PlatformApp.Id}/billing/plans/{id}", 200);
        return new TestPlan(id, PriceId(plan, "month")!, PriceId(plan, "year"));
    }

    /// <summary>Waits until Subscriptions' projection of the plan satisfies <paramref name="done"/> (e.g. archived); returns it.</summary>
    public async Task<CatalogPlan?> ProjectedAsync(string planId, Func<CatalogPlan, bool> done)
    {
        var plan = await SystemFixture.EventuallyAsync(() => system.Subscriptions.InScopeAsync(services =>
                services.GetRequiredService<SubscriptionsDbContext>().Plans.AsNoTracking().Include(p => p.Prices).SingleOrDefaultAsync(p => p.Id == planId)),
            p => p is not null && done(p));
        Assert.True(plan is not null && done(plan), $"Subscriptions' projection of {planId} did not reach the expected state.");
        return plan;
    }

    /// <summary>
    /// The test database outlives sandboxes: the tiers were synced, at the Catalog's first start in this run,
    /// to a sandbox gone since (or failed against a host without one). As a fresh install would, forget that
    /// Stripe and sync them again, under the rows' locks so a sync in flight finishes first.
    /// </summary>
    private async Task SyncTiersToThisSandboxAsync()
    {
        await system.Catalog.InScopeAsync(async services =>
        {
            var db = services.GetRequiredService<CatalogDbContext>();
            var ids = PlatformTiers.PlanIds.ToList();
            await using var transaction = await db.Database.BeginTransactionAsync();
            await db.Database.ExecuteSqlAsync($"select id from catalog.plans where app_id = {PlatformApp.Id} and id = any({ids}) for update");
            await db.Database.ExecuteSqlAsync($"""
                update catalog.prices set stripe_price_id = null, stripe_deactivated = false where app_id = {PlatformApp.Id} and plan_id = any({ids});
                update catalog.plans set stripe_product_id = null, stripe_sync_status = 'Pending', sync_requested_at = now()
                where app_id = {PlatformApp.Id} and id = any({ids})
                """);
            foreach (var plan in await db.Plans.Include(p => p.Prices).Where(p => p.AppId == PlatformApp.Id && ids.Contains(p.Id)).ToListAsync())
                db.StageChanged(plan, sync: true);
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
            return 0;
        });
        using var catalog = system.Catalog.ClientFor(PlatformApp.Id);
        foreach (var id in PlatformTiers.PlanIds)
        {
            var plan = await SystemFixture.EventuallyAsync(() => catalog.GetAsync($"/v1/{PlatformApp.Id}/billing/plans/{id}", 200), SyncedPlan);
            Assert.True(SyncedPlan(plan), $"The tier {id} did not sync to this sandbox: {plan}");
            await SellableAsync(id, plan.GetProperty("stripe").GetProperty("productId").GetString()!);
        }
    }

    /// <summary>Waits until Subscriptions can sell the plan on the Stripe product the Catalog now names.</summary>
    private Task SellableAsync(string planId, string stripeProductId) =>
        ProjectedAsync(planId, p => p.Sellable && p.StripeProductId == stripeProductId && p.Prices.Where(x => x.Active).All(x => x.StripePriceId is not null));

    private static bool SyncedPlan(JsonElement plan) => plan.GetProperty("stripe").GetProperty("syncStatus").GetString() == "synced";

    private static string? PriceId(JsonElement plan, string interval) => plan.GetProperty("prices").EnumerateArray()
        .Where(p => p.GetProperty("active").GetBoolean() && p.GetProperty("interval").GetString() == interval)
        .Select(p => p.GetProperty("id").GetString()).SingleOrDefault();
}
