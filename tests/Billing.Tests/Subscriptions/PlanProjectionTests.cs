using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Billing.Contracts.Catalog;
using Billing.ServiceDefaults.Api;
using Billing.ServiceDefaults.Messaging;
using Billing.Subscriptions;
using Billing.Subscriptions.Infrastructure;
using Billing.Subscriptions.Model;
using Billing.Subscriptions.Plans;
using Billing.Tests.EndToEnd;
using Billing.Tests.Infrastructure;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Tests.Subscriptions;

/// <summary>Subscriptions' projection of Catalog's plans, fed by PlanChanged over the real broker.</summary>
[Collection(InfrastructureCollection.Name)]
public sealed class PlanProjectionTests(InfrastructureFixture infrastructure) : IAsyncLifetime
{
    private TestService _service = null!;

    public async Task InitializeAsync() =>
        _service = await TestService.StartAsync(SubscriptionsService.Build, infrastructure, SubscriptionsService.Name, SubscriptionsTestHost.Settings());

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Fact]
    public async Task An_older_version_delivered_late_changes_nothing_and_a_newer_one_replaces_the_state()
    {
        var app = TestApps.NewAppId();
        var plan = State(Ids.New("plan"), "Pro v3", version: 3, stripePrice: "price_stripe_3");

        await PublishAndWaitAsync(app, plan);
        await PublishAndWaitAsync(app, plan with { Name = "Pro v2", Version = 2, Prices = [plan.Prices[0] with { StripePriceId = "price_stripe_2" }] });
        var afterStale = await ReadAsync(plan.Id);
        await PublishAndWaitAsync(app, plan with { Name = "Pro v4", Version = 4, Active = false, Sellable = false });
        var afterNewer = await ReadAsync(plan.Id);

        Assert.Equal(("Pro v3", 3L, "price_stripe_3"), (afterStale.Name, afterStale.Version, afterStale.Prices.Single().StripePriceId));
        Assert.Equal(("Pro v4", 4L, false, false), (afterNewer.Name, afterNewer.Version, afterNewer.Active, afterNewer.Sellable));
    }

    [Fact]
    public async Task A_plan_event_of_another_app_never_takes_over_a_projected_plan()
    {
        var app = TestApps.NewAppId();
        var plan = State(Ids.New("plan"), "Mine", version: 1, stripePrice: "price_stripe_mine");
        await PublishAndWaitAsync(app, plan);

        await PublishAndWaitAsync(TestApps.NewAppId(), plan with { Name = "Theirs", Version = 9 });

        var kept = await ReadAsync(plan.Id);
        Assert.Equal((app, "Mine", 1L), (kept.AppId, kept.Name, kept.Version));
    }

    [Fact]
    public async Task A_plan_whose_Stripe_sync_is_still_pending_is_not_sold_yet_409()
    {
        var app = TestApps.NewAppId();
        var plan = State(Ids.New("plan"), "Pending", version: 1, stripePrice: "price_stripe_x");
        await PublishAndWaitAsync(app, plan with { Sellable = false, StripeProductId = null, Prices = [plan.Prices[0] with { StripePriceId = null }] });

        using var response = await _service.ClientFor(app).PostAsJsonAsync($"/v1/{app}/billing/subscribe", new
        {
            planId = plan.Id, customerId = "cus_any", successUrl = "https://shop.example.com/ok", cancelUrl = "https://shop.example.com/no",
        });
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(("conflict", PlanResolver.PlanNotSellable), (problem.GetProperty("code").GetString(), problem.GetProperty("reason").GetString()));
    }

    private static PlanState State(string id, string name, long version, string stripePrice) => new(
        id, name, Active: true, Sellable: true, TrialDays: 0, Features: [], Limits: new Dictionary<string, long>(),
        Prices: [new PlanPrice(Ids.New("price"), "month", 900, "usd", true, stripePrice)], Metadata: new Dictionary<string, string>(),
        StripeProductId: "prod_x", Version: version);

    /// <summary>Publishes and waits until the consumer recorded the message in its inbox (applied or dropped as stale).</summary>
    private async Task PublishAndWaitAsync(string app, PlanState state)
    {
        var messageId = Guid.NewGuid();
        await _service.Services.GetRequiredService<IBus>().Publish(new PlanChanged(Guid.NewGuid(), DateTimeOffset.UtcNow, app, state),
            context => context.MessageId = messageId);
        var seen = await SystemFixture.EventuallyAsync(() => _service.InScopeAsync(services =>
            services.GetRequiredService<SubscriptionsDbContext>().Set<InboxMessage>().AnyAsync(m => m.MessageId == messageId)), s => s);
        Assert.True(seen, "The PlanChanged was not consumed.");
    }

    private Task<CatalogPlan> ReadAsync(string planId) => _service.InScopeAsync(services =>
        services.GetRequiredService<SubscriptionsDbContext>().Plans.AsNoTracking().Include(p => p.Prices).SingleAsync(p => p.Id == planId));
}
