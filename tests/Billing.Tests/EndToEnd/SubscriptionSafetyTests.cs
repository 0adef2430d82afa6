using System.Net.Http.Json;
using System.Text.Json;
using Billing.Contracts;
using Billing.Subscriptions.Infrastructure;
using Billing.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Tests.EndToEnd;

/// <summary>What must hold whatever callers and Stripe do: concurrency, reordering, isolation, refusals; and the platform's own tiers.</summary>
[Collection(InfrastructureCollection.Name)]
public sealed class SubscriptionSafetyTests(SystemFixture system) : IClassFixture<SystemFixture>
{
    [Fact]
    public async Task Concurrent_creates_of_one_external_id_make_one_customer_201_once_200_after()
    {
        var steps = new BillingSteps(system, await system.NewTenantAsync());
        var body = new { externalId = "user-42", email = "u42@example.com", name = "U" };

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            using var response = await steps.Client.PostAsJsonAsync(steps.Path("customers"), body);
            return ((int)response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString());
        }));

        Assert.Equal(1, answers.Count(a => a.Item1 == 201));
        Assert.Equal(7, answers.Count(a => a.Item1 == 200));
        Assert.Single(answers.Select(a => a.Item2).Distinct());
        var list = await steps.Client.GetAsync(steps.Path("customers?externalId=user-42"), 200);
        Assert.Equal(answers[0].Item2, Assert.Single(list.GetProperty("data").EnumerateArray()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task Concurrent_first_checkouts_of_one_customer_make_one_Stripe_customer_and_one_open_session()
    {
        var steps = new BillingSteps(system, await system.NewTenantAsync());
        var plan = await system.Plans.CreateAsync(steps);
        var email = $"{Guid.NewGuid():N}@example.com";
        var externalId = "user-" + Guid.NewGuid().ToString("N")[..8];

        // customerExternalId with email: the first call creates the customer, all of them its Stripe customer on first need.
        var sessions = await Task.WhenAll(Enumerable.Range(0, 6).Select(async _ =>
        {
            using var response = await steps.Client.PostAsJsonAsync(steps.Path("subscribe"), new
            {
                planId = plan.Id, customerExternalId = externalId, email, successUrl = BillingSteps.SuccessUrl, cancelUrl = BillingSteps.CancelUrl,
            });
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, text);
            return JsonDocument.Parse(text).RootElement.GetProperty("sessionId").GetString();
        }));

        Assert.Single(sessions.Distinct());
        var stripeCustomers = await system.Sandbox.GetAsync($"/v1/customers?email={Uri.EscapeDataString(email)}&limit=100");
        Assert.Single(stripeCustomers.GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task Concurrent_checkouts_and_portal_calls_of_a_new_customer_make_one_Stripe_customer_and_one_open_session()
    {
        // Checkout records the Stripe customer in its own transaction under the customer's lock; the portal
        // records it on its own under the same lock. Racing, they must still make exactly one.
        var steps = new BillingSteps(system, await system.NewTenantAsync());
        var plan = await system.Plans.CreateAsync(steps);
        var email = $"{Guid.NewGuid():N}@example.com";
        var customer = await steps.CustomerAsync(email: email);

        var checkouts = Enumerable.Range(0, 4).Select(_ => SubscribedAsync(steps, customer, plan.Id)).ToList();
        var portals = Enumerable.Range(0, 4).Select(_ =>
            steps.Client.PostAsync(steps.Path("portal"), new { customerId = customer, returnUrl = "https://shop.example.com/account" }, 200)).ToList();
        var sessions = await Task.WhenAll(checkouts);
        await Task.WhenAll(portals);

        Assert.Single(sessions.Select(s => s.GetProperty("sessionId").GetString()).Distinct());
        var stripeCustomers = await system.Sandbox.GetAsync($"/v1/customers?email={Uri.EscapeDataString(email)}&limit=100");
        var only = Assert.Single(stripeCustomers.GetProperty("data").EnumerateArray()).GetProperty("id").GetString();
        var read = await steps.Client.GetAsync(steps.Path($"customers/{customer}"), 200);
        Assert.Equal(only, read.GetProperty("stripe").GetProperty("customerId").GetString());
    }

    [Fact]
    public async Task A_returning_customer_whose_checkout_expired_gets_one_new_session_however_many_calls_race()
    {
        var steps = new BillingSteps(system, await system.NewTenantAsync());
        var plan = await system.Plans.CreateAsync(steps);
        var customer = await steps.CustomerAsync();
        var first = (await steps.SubscribeAsync(customer, plan.Id)).GetProperty("sessionId").GetString()!;
        await system.Sandbox.PostAsync($"/v1/checkout/sessions/{first}/expire");

        var sessions = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => SubscribedAsync(steps, customer, plan.Id)));

        var again = Assert.Single(sessions.Select(s => s.GetProperty("sessionId").GetString()).Distinct());
        Assert.NotEqual(first, again);
        var open = await system.Sandbox.GetAsync($"/v1/checkout/sessions/{again}");
        Assert.Equal("open", open.GetProperty("status").GetString());
    }

    /// <summary>A subscribe among racing ones: 201 for the one that opened the session, 200 for the others.</summary>
    private static async Task<JsonElement> SubscribedAsync(BillingSteps steps, string customer, string planId)
    {
        using var response = await steps.Client.PostAsJsonAsync(steps.Path("subscribe"), new
        {
            planId, customerId = customer, successUrl = BillingSteps.SuccessUrl, cancelUrl = BillingSteps.CancelUrl,
        });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement;
    }

    [Fact]
    public async Task Duplicated_and_shuffled_webhooks_over_twenty_subscriptions_end_in_Stripes_states()
    {
        var steps = new BillingSteps(system, await system.NewTenantAsync());
        var plan = await system.Plans.CreateAsync(steps);
        await system.Sandbox.ChaosAsync(("duplicate", "true"), ("shuffle_window", "10"));
        try
        {
            var customers = new List<string>();
            for (var i = 0; i < 20; i++)
            {
                var customer = await steps.CustomerAsync();
                customers.Add(customer);
                await steps.PayAsync(await steps.SubscribeAsync(customer, plan.Id, interval: i % 2 == 0 ? "month" : "year", quantity: 1 + i % 3));
            }
            // Every third one is canceled at period end through our API, a few more in the portal (straight in
            // Stripe), and a few ended at once in Stripe: a mix of end states, all reached through shuffled duplicates.
            for (var i = 0; i < 20; i += 3)
            {
                await steps.SubscriptionEventuallyAsync(customers[i], BillingSteps.Status("active"));
                await steps.Client.PostAsync(steps.Path("cancel"), new { customerId = customers[i] }, 200);
            }
            for (var i = 1; i < 20; i += 5)
            {
                var local = await steps.SubscriptionEventuallyAsync(customers[i], BillingSteps.Status("active"));
                var portal = await steps.Client.PostAsync(steps.Path("portal"), new { customerId = customers[i], returnUrl = "https://shop.example.com/a" }, 200);
                await system.Sandbox.PostAsync($"/v1/test_helpers/billing_portal/sessions/{portal.GetProperty("url").GetString()!.Split('/')[^1]}/cancel_subscription",
                    ("subscription", local.GetProperty("stripe").GetProperty("subscriptionId").GetString()!));
            }
            for (var i = 2; i < 20; i += 7)
            {
                var local = await steps.SubscriptionEventuallyAsync(customers[i], BillingSteps.Status("active"));
                using var deleted = await system.Sandbox.Client.DeleteAsync($"/v1/subscriptions/{local.GetProperty("stripe").GetProperty("subscriptionId").GetString()}");
                Assert.True(deleted.IsSuccessStatusCode);
            }

            var states = new List<string>();
            foreach (var customer in customers)
            {
                var pair = await SystemFixture.EventuallyAsync(async () =>
                {
                    var mine = await steps.Client.GetAsync(steps.Path($"subscriptions?customerId={customer}"), 200);
                    var only = mine.GetProperty("data").EnumerateArray().ToList();
                    var stripe = only.Count == 1 ? StripeSummary(await steps.StripeSubscriptionAsync(only[0])) : "";
                    return (Local: only.Count == 1 ? Summary(only[0]) : $"{only.Count} subscriptions", Stripe: stripe);
                }, p => p.Local == p.Stripe);
                Assert.Equal(pair.Stripe, pair.Local);
                states.Add(pair.Local.Split('|')[0] + "|" + pair.Local.Split('|')[3]);
            }
            Assert.Contains("canceled|False", states);
            Assert.Contains("active|True", states);
            Assert.Contains("active|False", states);
            var deliveries = await system.Sandbox.GetAsync("/v1/test_helpers/webhook_deliveries?limit=100");
            Assert.Contains(deliveries.GetProperty("data").EnumerateArray(), d => d.GetProperty("duplicate").GetBoolean());
        }
        finally
        {
            await system.Sandbox.ChaosAsync(("reset", "true"));
        }
    }

    private static string Summary(JsonElement s) =>
        $"{s.GetProperty("status").GetString()}|{s.GetProperty("quantity").GetInt32()}|{s.GetProperty("interval").GetString()}|{s.GetProperty("cancelAtPeriodEnd").GetBoolean()}|{s.GetProperty("currentPeriodEnd").GetDateTimeOffset().ToUnixTimeSeconds()}";

    private static string StripeSummary(JsonElement s)
    {
        var item = s.GetProperty("items").GetProperty("data")[0];
        return $"{s.GetProperty("status").GetString()}|{item.GetProperty("quantity").GetInt32()}|{item.GetProperty("price").GetProperty("recurring").GetProperty("interval").GetString()}|{s.GetProperty("cancel_at_period_end").GetBoolean()}|{item.GetProperty("current_period_end").GetInt64()}";
    }

    [Fact]
    public async Task Another_apps_customers_subscriptions_and_sessions_are_not_found()
    {
        var owner = new BillingSteps(system, await system.NewTenantAsync());
        var other = new BillingSteps(system, await system.NewTenantAsync());
        var plan = await system.Plans.CreateAsync(owner);
        var customer = await owner.CustomerAsync();
        var session = await owner.SubscribeAsync(customer, plan.Id);
        await owner.PayAsync(session);
        await owner.SubscriptionEventuallyAsync(customer, BillingSteps.Status("active"));

        await other.Client.GetAsync(other.Path($"customers/{customer}"), 404);
        await other.Client.GetAsync(other.Path($"subscription?customerId={customer}"), 404);
        Assert.Empty((await other.Client.GetAsync(other.Path($"subscriptions?customerId={customer}"), 200)).GetProperty("data").EnumerateArray());
        await other.Client.GetAsync(other.Path($"checkout/verify?sessionId={session.GetProperty("sessionId").GetString()}"), 404);
        await other.Client.PostAsync(other.Path("subscribe"), new { planId = plan.Id, customerId = customer, successUrl = BillingSteps.SuccessUrl, cancelUrl = BillingSteps.CancelUrl }, 404);
        await other.Client.PostAsync(other.Path("cancel"), new { customerId = customer }, 404);
        // The owner's key on the other app's path is refused by the gateway itself.
        await owner.Client.GetAsync(other.Path($"customers/{customer}"), 404);
    }

    [Fact]
    public async Task Refusals_name_their_code_redirects_off_the_allowlist_payment_mode_and_unsellable_plans()
    {
        var steps = new BillingSteps(system, await system.NewTenantAsync());
        var plan = await system.Plans.CreateAsync(steps);
        var customer = await steps.CustomerAsync();

        var redirect = await steps.Client.PostAsync(steps.Path("subscribe"),
            new { planId = plan.Id, customerId = customer, successUrl = "https://evil.example.net/x", cancelUrl = BillingSteps.CancelUrl }, 400);
        Assert.Equal("redirect_url_not_allowed", redirect.GetProperty("code").GetString());
        var portal = await steps.Client.PostAsync(steps.Path("portal"), new { customerId = customer, returnUrl = "https://shop.example.com@evil.net/" }, 400);
        Assert.Equal("redirect_url_not_allowed", portal.GetProperty("code").GetString());

        var payment = await steps.Client.PostAsync(steps.Path("checkout"),
            new { customerId = customer, priceId = plan.MonthlyPriceId, mode = "payment", successUrl = BillingSteps.SuccessUrl, cancelUrl = BillingSteps.CancelUrl }, 404);
        // Payment mode is Orders' purchase, which sells one-time products: a plan's price is no product there.
        Assert.Equal("not_found", payment.GetProperty("code").GetString());

        // A plan with only a monthly price has no yearly one to sell; an archived plan takes no new subscriptions.
        // (A plan not yet synced to Stripe, 409, is tested on the Subscriptions service: here the Catalog syncs at once.)
        var monthlyOnly = await system.Plans.CreateAsync(steps, yearlyCents: null);
        var noYearly = await steps.SubscribeAsync(customer, monthlyOnly.Id, interval: "year", expected: 400);
        Assert.True(noYearly.GetProperty("errors").TryGetProperty("interval", out _), noYearly.ToString());

        await steps.Client.PostAsync(steps.Path($"plans/{plan.Id}/archive"), new { }, 200);
        await system.Plans.ProjectedAsync(plan.Id, p => !p.Active);
        var archived = await steps.SubscribeAsync(customer, plan.Id, expected: 400);
        Assert.Equal("validation_failed", archived.GetProperty("code").GetString());
        await steps.SubscribeAsync(customer, "plan_missing", expected: 404);
    }

    [Fact]
    public async Task A_developer_buys_a_platform_tier_from_the_dashboard_and_free_needs_no_checkout()
    {
        var tenant = await system.NewTenantAsync();
        using var account = tenant.AccountClient(system.Gateway);
        // The tier the Catalog seeded: the dashboard sells the platform app's plan whose metadata names the tier.
        var tier = await system.Plans.PlatformTierAsync("starter");

        var free = await account.PostAsync("/dashboard/billing/checkout",
            new { tier = "free", billingInterval = "monthly", successUrl = "http://localhost:3000/ok", cancelUrl = "http://localhost:3000/no" }, 400);
        Assert.Equal("validation_failed", free.GetProperty("code").GetString());
        var elsewhere = await account.PostAsync("/dashboard/billing/checkout",
            new { tier = "starter", billingInterval = "yearly", successUrl = "https://evil.example.net/ok", cancelUrl = "http://localhost:3000/no" }, 400);
        Assert.Equal("redirect_url_not_allowed", elsewhere.GetProperty("code").GetString());

        var session = await account.PostAsync("/dashboard/billing/checkout",
            new { tier = "starter", billingInterval = "yearly", successUrl = "http://localhost:3000/ok", cancelUrl = "http://localhost:3000/no" }, 201);
        await system.Sandbox.PostAsync($"/v1/test_helpers/checkout/sessions/{session.GetProperty("sessionId").GetString()}/complete", ("card", "4242424242424242"));

        var subscription = await SystemFixture.EventuallyAsync(() => system.Subscriptions.InScopeAsync(async services =>
        {
            var db = services.GetRequiredService<SubscriptionsDbContext>();
            return await db.Subscriptions.AsNoTracking().Where(s => s.AppId == PlatformApp.Id)
                .Join(db.Customers.Where(c => c.ExternalId == tenant.AccountId), s => s.CustomerId, c => c.Id, (s, _) => s).SingleOrDefaultAsync();
        }), s => s?.Status == Billing.Subscriptions.Model.SubscriptionStatus.Active);
        Assert.NotNull(subscription);
        Assert.Equal((tier.Id, tier.YearlyPriceId, Billing.Subscriptions.Model.SubscriptionStatus.Active), (subscription.PlanId, subscription.PriceId, subscription.Status));

        // The gateway learns past-due developers from these events: the developer is named by the account id.
        var changed = (await system.SubscriptionChangesAsync(subscription.Id))[^1];
        Assert.Equal((tenant.AccountId, "active", "year"), (changed.CustomerExternalId, changed.Status, changed.Interval));

        var portal = await account.PostAsync("/dashboard/billing/portal", new { returnUrl = "http://localhost:3000/billing" }, 200);
        Assert.Contains("/billing_portal/", portal.GetProperty("url").GetString());
    }
}
