using System.Text.Json;
using System.Net.Http.Json;
using Billing.Tests.Infrastructure;

namespace Billing.Tests.EndToEnd;

/// <summary>Selling a plan end to end: through the gateway with an app key, paid in the sandbox, state from Stripe's webhooks.</summary>
[Collection(InfrastructureCollection.Name)]
public sealed class SubscriptionFlowTests(SystemFixture system) : IClassFixture<SystemFixture>
{
    [Fact]
    public async Task A_paid_yearly_checkout_becomes_the_customers_active_subscription_through_the_webhooks()
    {
        var steps = new BillingSteps(system, await system.NewTenantAsync());
        var plan = await system.Plans.CreateAsync(steps);
        var customer = await steps.CustomerAsync();

        var session = await steps.SubscribeAsync(customer, plan.Id, interval: "year");
        Assert.StartsWith("cs_", session.GetProperty("sessionId").GetString());
        Assert.Contains(session.GetProperty("sessionId").GetString()!, session.GetProperty("url").GetString());
        Assert.True(session.GetProperty("expiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow);
        var stripeSession = await system.Sandbox.GetAsync($"/v1/checkout/sessions/{session.GetProperty("sessionId").GetString()}");
        Assert.Equal(BillingSteps.SuccessUrl, stripeSession.GetProperty("success_url").GetString());
        await steps.PayAsync(session);

        var subscription = await steps.SubscriptionEventuallyAsync(customer, BillingSteps.Status("active"));
        Assert.Equal("active", subscription.GetProperty("status").GetString());
        var current = await steps.Client.GetAsync(steps.Path($"subscription?customerId={customer}"), 200);
        Assert.Equal(subscription.GetProperty("id").GetString(), current.GetProperty("id").GetString());
        Assert.StartsWith("sub_", current.GetProperty("id").GetString());
        Assert.Equal((plan.Id, plan.YearlyPriceId, "year", 1), (current.GetProperty("planId").GetString(), current.GetProperty("priceId").GetString(),
            current.GetProperty("interval").GetString(), current.GetProperty("quantity").GetInt32()));
        Assert.False(current.GetProperty("cancelAtPeriodEnd").GetBoolean());
        Assert.True(current.GetProperty("currentPeriodEnd").GetDateTimeOffset() > current.GetProperty("currentPeriodStart").GetDateTimeOffset().AddDays(300));
        var stripe = await steps.StripeSubscriptionAsync(current);
        Assert.Equal(stripe.GetProperty("customer").GetString(), current.GetProperty("stripe").GetProperty("customerId").GetString());
        Assert.Equal(steps.App, stripe.GetProperty("metadata").GetProperty("app_id").GetString());
        var customerBody = await steps.Client.GetAsync(steps.Path($"customers/{customer}"), 200);
        Assert.Equal(stripe.GetProperty("customer").GetString(), customerBody.GetProperty("stripe").GetProperty("customerId").GetString());
    }

    [Fact]
    public async Task Verify_session_alone_applies_a_paid_checkout_when_no_webhook_arrives()
    {
        var steps = new BillingSteps(system, await system.NewTenantAsync());
        var plan = await system.Plans.CreateAsync(steps);
        var customer = await steps.CustomerAsync();
        var session = await steps.SubscribeAsync(customer, plan.Id);
        var sessionId = session.GetProperty("sessionId").GetString();

        await system.Sandbox.ChaosAsync(("drop_percent", "100"));
        try
        {
            await steps.PayAsync(session);
            await steps.Client.GetAsync(steps.Path($"subscription?customerId={customer}"), 404);
            // Paid but not yet known here: subscribing again must not open a second checkout.
            var again409 = await steps.SubscribeAsync(customer, plan.Id, expected: 409);
            Assert.Equal("conflict", again409.GetProperty("code").GetString());

            var verified = await steps.Client.GetAsync(steps.Path($"checkout/verify?sessionId={sessionId}"), 200);
            var again = await steps.Client.GetAsync(steps.Path($"checkout/verify?sessionId={sessionId}"), 200);

            Assert.Equal(("complete", "paid", "subscription"), (verified.GetProperty("status").GetString(),
                verified.GetProperty("paymentStatus").GetString(), verified.GetProperty("mode").GetString()));
            Assert.Equal("active", verified.GetProperty("subscription").GetProperty("status").GetString());
            Assert.Equal(verified.GetProperty("subscription").GetProperty("id").GetString(), again.GetProperty("subscription").GetProperty("id").GetString());
            var current = await steps.Client.GetAsync(steps.Path($"subscription?customerId={customer}"), 200);
            Assert.Equal(("active", plan.MonthlyPriceId), (current.GetProperty("status").GetString(), current.GetProperty("priceId").GetString()));
            var all = await steps.Client.GetAsync(steps.Path($"subscriptions?customerId={customer}"), 200);
            Assert.Single(all.GetProperty("data").EnumerateArray());
        }
        finally
        {
            await system.Sandbox.ChaosAsync(("reset", "true"));
        }
    }

    [Fact]
    public async Task Cancel_at_period_end_keeps_it_active_until_the_clock_passes_the_period_then_it_is_canceled()
    {
        var steps = new BillingSteps(system, await system.NewTenantAsync());
        var plan = await system.Plans.CreateAsync(steps);
        var clock = await steps.ClockAsync();
        var customer = await steps.CustomerAsync(clock.Id);
        await steps.PayAsync(await steps.SubscribeAsync(customer, plan.Id));
        await steps.SubscriptionEventuallyAsync(customer, BillingSteps.Status("active"));

        var canceling = await steps.Client.PostAsync(steps.Path("cancel"), new { customerId = customer }, 200);
        Assert.Equal("active", canceling.GetProperty("status").GetString());
        Assert.True(canceling.GetProperty("cancelAtPeriodEnd").GetBoolean());
        Assert.True((await steps.StripeSubscriptionAsync(canceling)).GetProperty("cancel_at_period_end").GetBoolean());

        await steps.AdvanceAsync(clock.Id, clock.Time.AddDays(35));

        var ended = await steps.SubscriptionEventuallyAsync(customer, BillingSteps.Status("canceled"));
        Assert.Equal("canceled", ended.GetProperty("status").GetString());
        Assert.NotEqual(JsonValueKind.Null, ended.GetProperty("canceledAt").ValueKind);
        await steps.Client.GetAsync(steps.Path($"subscription?customerId={customer}"), 404);
        // Each applied change went out once, in version order, ending with Stripe's final state.
        var events = await system.SubscriptionChangesAsync(ended.GetProperty("id").GetString()!);
        Assert.Equal(Enumerable.Range(1, events.Count).Select(v => (long)v), events.Select(e => e.Version));
        Assert.Equal(("canceled", plan.Id), (events[^1].Status, events[^1].PlanId));
        Assert.Contains(events, e => e.Status == "active" && e.CancelAtPeriodEnd);
    }

    [Fact]
    public async Task Resume_undoes_a_pending_cancel_in_Stripe()
    {
        var steps = new BillingSteps(system, await system.NewTenantAsync());
        var plan = await system.Plans.CreateAsync(steps);
        var customer = await steps.CustomerAsync();
        await steps.PayAsync(await steps.SubscribeAsync(customer, plan.Id));
        var active = await steps.SubscriptionEventuallyAsync(customer, BillingSteps.Status("active"));

        await steps.Client.PostAsync(steps.Path("cancel"), new { customerId = customer, subscriptionId = active.GetProperty("id").GetString() }, 200);
        var resumed = await steps.Client.PostAsync(steps.Path("resume"), new { customerId = customer }, 200);

        Assert.False(resumed.GetProperty("cancelAtPeriodEnd").GetBoolean());
        Assert.False((await steps.StripeSubscriptionAsync(resumed)).GetProperty("cancel_at_period_end").GetBoolean());
    }

    [Fact]
    public async Task A_trial_is_trialing_then_active_once_the_clock_passes_its_end()
    {
        var steps = new BillingSteps(system, await system.NewTenantAsync());
        var plan = await system.Plans.CreateAsync(steps, trialDays: 14);
        var clock = await steps.ClockAsync();
        var customer = await steps.CustomerAsync(clock.Id);
        // The request's trial overrides the plan's 14 days.
        await steps.PayAsync(await steps.SubscribeAsync(customer, plan.Id, trialDays: 7));

        var trialing = await steps.SubscriptionEventuallyAsync(customer, BillingSteps.Status("trialing"));
        Assert.Equal("trialing", trialing.GetProperty("status").GetString());
        Assert.Equal(clock.Time.AddDays(7), trialing.GetProperty("trialEnd").GetDateTimeOffset());

        await steps.AdvanceAsync(clock.Id, clock.Time.AddDays(8));

        var active = await steps.SubscriptionEventuallyAsync(customer, BillingSteps.Status("active"));
        Assert.Equal("active", active.GetProperty("status").GetString());
    }

    [Fact]
    public async Task BillStacks_checkout_by_price_sells_a_quantity_of_three()
    {
        var steps = new BillingSteps(system, await system.NewTenantAsync());
        var plan = await system.Plans.CreateAsync(steps);
        var customer = await steps.CustomerAsync();

        var session = await steps.Client.PostAsync(steps.Path("checkout"), new
        {
            customerId = customer, priceId = plan.YearlyPriceId, quantity = 3, successUrl = BillingSteps.SuccessUrl, cancelUrl = BillingSteps.CancelUrl,
            mode = "subscription", metadata = new Dictionary<string, string> { ["campaign"] = "spring" },
        }, 201);
        await steps.PayAsync(session);

        var active = await steps.SubscriptionEventuallyAsync(customer, BillingSteps.Status("active"));
        Assert.Equal((3, "year", plan.Id), (active.GetProperty("quantity").GetInt32(), active.GetProperty("interval").GetString(), active.GetProperty("planId").GetString()));
        var stripe = await steps.StripeSubscriptionAsync(active);
        Assert.Equal(3, stripe.GetProperty("items").GetProperty("data")[0].GetProperty("quantity").GetInt32());
        Assert.Equal("spring", stripe.GetProperty("metadata").GetProperty("campaign").GetString());
    }

    [Fact]
    public async Task A_second_subscribe_while_the_checkout_is_open_returns_the_same_session_and_an_expired_one_is_replaced()
    {
        var steps = new BillingSteps(system, await system.NewTenantAsync());
        var plan = await system.Plans.CreateAsync(steps);
        var customer = await steps.CustomerAsync();

        var first = await steps.SubscribeAsync(customer, plan.Id, expected: 201);
        var second = await steps.SubscribeAsync(customer, plan.Id, expected: 200);
        Assert.Equal(first.GetProperty("sessionId").GetString(), second.GetProperty("sessionId").GetString());
        Assert.Equal(first.GetProperty("url").GetString(), second.GetProperty("url").GetString());

        await system.Sandbox.PostAsync($"/v1/checkout/sessions/{first.GetProperty("sessionId").GetString()}/expire");
        // Once the expired event is applied, subscribe opens a new session (until then it still returns the old one).
        var next = await SystemFixture.EventuallyAsync(async () =>
        {
            using var response = await steps.Client.PostAsJsonAsync(steps.Path("subscribe"),
                new { planId = plan.Id, customerId = customer, successUrl = BillingSteps.SuccessUrl, cancelUrl = BillingSteps.CancelUrl });
            return ((int)response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sessionId").GetString());
        }, r => r.Item2 != first.GetProperty("sessionId").GetString());

        Assert.Equal(201, next.Item1);
        Assert.NotEqual(first.GetProperty("sessionId").GetString(), next.Item2);
        Assert.Equal("open", (await system.Sandbox.GetAsync($"/v1/checkout/sessions/{next.Item2}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_failing_card_at_renewal_is_past_due_until_the_portals_card_update_pays_it()
    {
        var steps = new BillingSteps(system, await system.NewTenantAsync());
        var plan = await system.Plans.CreateAsync(steps);
        var clock = await steps.ClockAsync();
        var customer = await steps.CustomerAsync(clock.Id);
        await steps.PayAsync(await steps.SubscribeAsync(customer, plan.Id), card: "4000000000000341");
        await steps.SubscriptionEventuallyAsync(customer, BillingSteps.Status("active"));

        await steps.AdvanceAsync(clock.Id, clock.Time.AddDays(32));
        var pastDue = await steps.SubscriptionEventuallyAsync(customer, BillingSteps.Status("past_due"));
        Assert.Equal("past_due", pastDue.GetProperty("status").GetString());

        var portal = await steps.Client.PostAsync(steps.Path("portal"), new { customerId = customer, returnUrl = "https://shop.example.com/account" }, 200);
        var portalSession = portal.GetProperty("url").GetString()!.Split('/')[^1];
        await system.Sandbox.PostAsync($"/v1/test_helpers/billing_portal/sessions/{portalSession}/update_card", ("card", "4242424242424242"));

        var active = await steps.SubscriptionEventuallyAsync(customer, BillingSteps.Status("active"));
        Assert.Equal("active", active.GetProperty("status").GetString());
        Assert.Equal(pastDue.GetProperty("id").GetString(), active.GetProperty("id").GetString());
    }
}
