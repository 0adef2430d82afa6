using Billing.Contracts.Usage;
using Billing.ServiceDefaults.Http;
using Billing.ServiceDefaults.Messaging;
using Billing.Tests.Infrastructure;
using Billing.Usage.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using System.Text.Json;

namespace Billing.Tests.EndToEnd;

/// <summary>Plan limits and subscription state from the events of Catalog and Subscriptions, checked through the gateway.</summary>
[Collection(InfrastructureCollection.Name)]
public sealed class UsageEntitlementTests(SystemFixture system) : IClassFixture<SystemFixture>
{
    [Fact]
    public async Task Usage_up_to_the_plans_limit_is_allowed_beyond_it_is_402_limit_exceeded_and_80_and_100_percent_alerts_go_out_once()
    {
        var tenant = await system.NewTenantAsync();
        var steps = new UsageSteps(system, tenant);
        var plan = await steps.PlanAsync(new Dictionary<string, long> { ["ai_tokens"] = 100 });
        var subscription = await steps.SubscribedCustomerAsync(plan);
        var customer = subscription.GetProperty("customerId").GetString()!;
        var now = DateTimeOffset.UtcNow;
        // Usage learns the limit and the customer from the events: wait until the check knows both.
        var (status, body) = await SystemFixture.EventuallyAsync(() => steps.CheckAsync(customer, "ai_tokens", 1),
            r => r.Status == 200 && r.Body.GetProperty("remaining").ValueKind == JsonValueKind.Number);
        Assert.Equal((200, 100), (status, body.GetProperty("remaining").GetInt64()));

        await steps.Client.PostAsync(steps.Path("usage/events"), new
        {
            events = new[] { new { id = "a1", customerId = customer, meter = "ai_tokens", quantity = 60, timestamp = now.ToString("O") } },
        }, 202);
        var (allowed, left) = await steps.CheckAsync(customer, "ai_tokens", 40);
        Assert.Equal((200, true, 40L), (allowed, left.GetProperty("allowed").GetBoolean(), left.GetProperty("remaining").GetInt64()));
        var (over, problem) = await steps.CheckAsync(customer, "ai_tokens", 41);
        Assert.Equal((402, "limit_exceeded"), (over, problem.GetProperty("code").GetString()));

        await steps.Client.PostAsync(steps.Path("usage/events"), new
        {
            events = new[]
            {
                new { id = "a2", customerId = customer, meter = "ai_tokens", quantity = 25, timestamp = now.ToString("O") },
                new { id = "a3", customerId = customer, meter = "ai_tokens", quantity = 15, timestamp = now.ToString("O") },
                new { id = "a4", customerId = customer, meter = "ai_tokens", quantity = 5, timestamp = now.ToString("O") },
            },
        }, 202);
        var (full, fullProblem) = await steps.CheckAsync(customer, "ai_tokens", 1);
        Assert.Equal((402, "limit_exceeded"), (full, fullProblem.GetProperty("code").GetString()));
        var summary = await steps.Client.GetAsync(steps.Path($"usage/summary?customerId={customer}"), 200);
        var tokens = summary.GetProperty("meters").EnumerateArray().Single(m => m.GetProperty("meter").GetString() == "ai_tokens");
        Assert.Equal((105L, 100L, 0L), (tokens.GetProperty("quantity").GetInt64(), tokens.GetProperty("limit").GetInt64(), tokens.GetProperty("remaining").GetInt64()));

        var alerts = await ThresholdAlertsAsync(steps.App);
        Assert.Equal([(customer, "ai_tokens", 80), (customer, "ai_tokens", 100)],
            alerts.Select(a => (a.CustomerKey, a.Meter, a.Threshold)).OrderBy(a => a.Threshold).ToList());
    }

    [Fact]
    public async Task A_plan_upgrade_raises_the_limit_within_5_seconds()
    {
        var steps = new UsageSteps(system, await system.NewTenantAsync());
        var plan = await steps.PlanAsync(new Dictionary<string, long> { ["lambda_invocations"] = 10 });
        var subscription = await steps.SubscribedCustomerAsync(plan);
        var customer = subscription.GetProperty("customerId").GetString()!;
        await SystemFixture.EventuallyAsync(() => steps.CheckAsync(customer, "lambda_invocations", 1),
            r => r.Status == 200 && r.Body.GetProperty("remaining").ValueKind == JsonValueKind.Number);
        await steps.Client.PostAsync(steps.Path("usage/events"), new
        {
            events = new[] { new { id = "l1", customerId = customer, meter = "lambda_invocations", quantity = 10, timestamp = DateTimeOffset.UtcNow.ToString("O") } },
        }, 202);
        Assert.Equal(402, (await steps.CheckAsync(customer, "lambda_invocations", 1)).Status);

        // The customer moves to a bigger plan: Stripe updates the subscription, Subscriptions announces it, Usage follows.
        var bigger = await steps.PlanAsync(new Dictionary<string, long> { ["lambda_invocations"] = 1000 });
        var changed = await steps.Client.PostAsync(steps.Path("billing/subscription/change"), new { customerId = customer, planId = bigger.Id }, 200);
        Assert.Equal(bigger.Id, changed.GetProperty("planId").GetString());
        var (status, body) = await SystemFixture.EventuallyAsync(() => steps.CheckAsync(customer, "lambda_invocations", 1), r => r.Status == 200,
            TimeSpan.FromSeconds(5));

        Assert.Equal(200, status);
        Assert.Equal(990, body.GetProperty("remaining").GetInt64());
    }

    [Fact]
    public async Task A_past_due_subscription_is_402_payment_required_until_it_is_active_again()
    {
        // A real failed renewal: a customer on a Stripe test clock pays with a card whose later charges fail
        // (4000000000000341), the clock passes the renewal, the sandbox's webhooks make Subscriptions announce past_due.
        var tenant = await system.NewTenantAsync();
        var steps = new UsageSteps(system, tenant);
        var billing = new BillingSteps(system, tenant);
        var plan = await steps.PlanAsync(new Dictionary<string, long> { ["ai_tokens"] = 1000 });
        var clock = await billing.ClockAsync();
        var customer = await billing.CustomerAsync(clock.Id);
        await billing.PayAsync(await billing.SubscribeAsync(customer, plan.Id), card: "4000000000000341");
        await billing.SubscriptionEventuallyAsync(customer, BillingSteps.Status("active"));
        await SystemFixture.EventuallyAsync(() => steps.CheckAsync(customer, "ai_tokens", 1), r => r.Status == 200);

        await billing.AdvanceAsync(clock.Id, clock.Time.AddDays(32));
        await billing.SubscriptionEventuallyAsync(customer, BillingSteps.Status("past_due"));
        var (status, body) = await SystemFixture.EventuallyAsync(() => steps.CheckAsync(customer, "ai_tokens", 1), r => r.Status == 402);
        Assert.Equal((402, "payment_required"), (status, body.GetProperty("code").GetString()));

        // A working card in the portal pays the open invoice: active again, and usage is allowed again.
        var portal = await billing.Client.PostAsync(billing.Path("portal"), new { customerId = customer, returnUrl = "https://shop.example.com/account" }, 200);
        await system.Sandbox.PostAsync($"/v1/test_helpers/billing_portal/sessions/{portal.GetProperty("url").GetString()!.Split('/')[^1]}/update_card",
            ("card", "4242424242424242"));
        await billing.SubscriptionEventuallyAsync(customer, BillingSteps.Status("active"));
        var (paid, _) = await SystemFixture.EventuallyAsync(() => steps.CheckAsync(customer, "ai_tokens", 1), r => r.Status == 200);
        Assert.Equal(200, paid);
    }

    private Task<List<UsageThresholdReached>> ThresholdAlertsAsync(string appId) => system.Usage.InScopeAsync(async services =>
    {
        var db = services.GetRequiredService<UsageDbContext>();
        var bodies = await db.Set<OutboxMessage>().AsNoTracking()
            .Where(m => m.MessageType.StartsWith(typeof(UsageThresholdReached).FullName!)).Select(m => m.Body).ToListAsync();
        return bodies.Select(b => JsonSerializer.Deserialize<UsageThresholdReached>(b, JsonDefaults.Options)!).Where(a => a.AppId == appId).ToList();
    });
}
