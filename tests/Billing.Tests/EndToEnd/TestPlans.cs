using Billing.Contracts.Catalog;
using Billing.ServiceDefaults.Api;
using Billing.Subscriptions.Infrastructure;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Tests.EndToEnd;

/// <summary>A sellable plan: our ids, and the Stripe prices behind them.</summary>
public sealed record TestPlan(string Id, string MonthlyPriceId, string YearlyPriceId, string StripeMonthlyPriceId, string StripeYearlyPriceId);

/// <summary>
/// Makes sellable plans for the end-to-end tests, in ONE place.
/// STAND-IN until Catalog's Stripe sync lands: Catalog does not yet create Stripe products and prices
/// nor publish PlanChanged, so this creates the product and prices in the sandbox itself and publishes
/// the PlanChanged Catalog would publish. When Catalog syncs, <see cref="CreateAsync"/> becomes a
/// <c>POST /v1/{appId}/billing/plans</c> through the gateway (then waiting for <c>syncStatus: synced</c>).
/// </summary>
public sealed class TestPlans(SystemFixture system)
{
    /// <summary>A plan of <paramref name="appId"/> with a monthly and a yearly price, sellable in Subscriptions.</summary>
    public async Task<TestPlan> CreateAsync(
        string appId, long monthlyCents = 2900, long yearlyCents = 29000, int trialDays = 0, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var sandbox = system.Sandbox;
        var product = await sandbox.PostAsync("/v1/products", ("name", "Plan " + Guid.NewGuid().ToString("N")[..6]), ("metadata[app_id]", appId));
        var productId = product.GetProperty("id").GetString()!;
        async Task<string> Price(long cents, string interval) => (await sandbox.PostAsync("/v1/prices", ("product", productId),
            ("unit_amount", cents.ToString()), ("currency", "usd"), ("recurring[interval]", interval), ("metadata[app_id]", appId)))
            .GetProperty("id").GetString()!;
        var plan = new TestPlan(Ids.New("plan"), Ids.New("price"), Ids.New("price"), await Price(monthlyCents, "month"), await Price(yearlyCents, "year"));

        var state = new PlanState(plan.Id, "Pro", Active: true, Sellable: true, trialDays, Features: [], Limits: new Dictionary<string, long>(),
            Prices:
            [
                new PlanPrice(plan.MonthlyPriceId, "month", monthlyCents, "usd", Active: true, plan.StripeMonthlyPriceId),
                new PlanPrice(plan.YearlyPriceId, "year", yearlyCents, "usd", Active: true, plan.StripeYearlyPriceId),
            ],
            Metadata: metadata ?? new Dictionary<string, string>(), StripeProductId: productId, Version: 1);
        await PublishAsync(appId, state);
        return plan;
    }

    /// <summary>Publishes a plan's state as Catalog does, and waits until Subscriptions' projection holds that version.</summary>
    public async Task PublishAsync(string appId, PlanState state)
    {
        await system.Subscriptions.Services.GetRequiredService<IBus>().Publish(new PlanChanged(Guid.NewGuid(), DateTimeOffset.UtcNow, appId, state));
        var version = await SystemFixture.EventuallyAsync(() => system.Subscriptions.InScopeAsync(async services =>
                await services.GetRequiredService<SubscriptionsDbContext>().Plans.Where(p => p.Id == state.Id).Select(p => (long?)p.Version).SingleOrDefaultAsync()),
            v => v >= state.Version);
        Assert.True(version >= state.Version, $"The plan {state.Id} did not reach Subscriptions' projection.");
    }
}
