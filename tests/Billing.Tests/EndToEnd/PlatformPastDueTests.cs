using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Billing.Contracts;
using Billing.Subscriptions.Customers;
using Billing.Subscriptions.Infrastructure;
using Billing.Subscriptions.Model;
using Billing.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Tests.EndToEnd;

/// <summary>
/// The platform's own billing end to end: a developer buys a tier in the dashboard, the renewal fails on
/// their card, and while the subscription is past due every call with their apps' keys or their account
/// token answers 402, except the dashboard's checkout and portal; updating the card in the portal pays
/// the invoice and the calls pass again. Nothing is published by hand: the gateway learns it from the
/// Subscriptions service's events, which follow the sandbox's webhooks.
/// </summary>
[Collection(InfrastructureCollection.Name)]
public sealed class PlatformPastDueTests(SystemFixture system) : IClassFixture<SystemFixture>
{
    private const string Back = "http://localhost:3000/billing";

    [Fact]
    public async Task A_failed_renewal_blocks_the_developers_calls_with_402_until_the_card_updated_in_the_portal_pays_it()
    {
        var tenant = await system.NewTenantAsync();
        var steps = new BillingSteps(system, tenant);
        using var account = tenant.AccountClient(system.Gateway);
        var tier = await system.Plans.PlatformTierAsync("starter");
        // The developer's platform customer, on a test clock so the renewal can be brought forward. The platform app
        // has no API key to create it with metadata, so the test does what that call would (the dashboard then finds it).
        var clock = await steps.ClockAsync();
        await system.Subscriptions.InScopeAsync(services => services.GetRequiredService<CustomerDirectory>().FindOrCreateAsync(PlatformApp.Id,
            tenant.AccountId, $"{tenant.AccountId}@example.com", null,
            new Dictionary<string, string> { [CustomerDirectory.TestClockKey] = clock.Id }, CancellationToken.None));

        var session = await account.PostAsync("/dashboard/billing/checkout",
            new { tier = "starter", billingInterval = "monthly", successUrl = Back, cancelUrl = Back }, 201);
        await system.Sandbox.PostAsync($"/v1/test_helpers/checkout/sessions/{session.GetProperty("sessionId").GetString()}/complete", ("card", "4242424242424242"));
        var active = await PlatformSubscriptionAsync(tenant.AccountId, SubscriptionStatus.Active);
        Assert.Equal((tier.Id, tier.MonthlyPriceId), (active.PlanId, active.PriceId));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(steps.Client, steps.Path("customers")));

        // The card on file becomes one whose later charges fail (the portal's card update, as the developer would).
        await UpdateCardInPortalAsync(account, "4000000000000341");
        await steps.AdvanceAsync(clock.Id, clock.Time.AddDays(32));
        var pastDue = await PlatformSubscriptionAsync(tenant.AccountId, SubscriptionStatus.PastDue);
        Assert.Equal(active.Id, pastDue.Id);

        var blocked = await SystemFixture.EventuallyAsync(() => StatusAsync(steps.Client, steps.Path("customers")), s => s == HttpStatusCode.PaymentRequired);
        Assert.Equal(HttpStatusCode.PaymentRequired, blocked);
        using (var response = await steps.Client.GetAsync(steps.Path("customers")))
            Assert.Equal("payment_required", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.PaymentRequired, await StatusAsync(account, "/v1/apps"));
        // What lets them pay stays open: the portal (below) and checkout.
        var upgrade = await account.PostAsync("/dashboard/billing/checkout",
            new { tier = "pro", billingInterval = "yearly", successUrl = Back, cancelUrl = Back }, 201);
        Assert.StartsWith("cs_", upgrade.GetProperty("sessionId").GetString());

        // A working card in the portal retries the open invoice at once: paid, active, calls pass again.
        await UpdateCardInPortalAsync(account, "4242424242424242");
        var paid = await PlatformSubscriptionAsync(tenant.AccountId, SubscriptionStatus.Active);
        Assert.Equal(active.Id, paid.Id);
        Assert.True(paid.CurrentPeriodEnd > active.CurrentPeriodEnd);
        var open = await SystemFixture.EventuallyAsync(() => StatusAsync(steps.Client, steps.Path("customers")), s => s == HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, open);
        Assert.Equal(HttpStatusCode.OK, await SystemFixture.EventuallyAsync(() => StatusAsync(account, "/v1/apps"), s => s == HttpStatusCode.OK));
        var stripe = await system.Sandbox.GetAsync($"/v1/subscriptions/{paid.StripeSubscriptionId}");
        var invoice = await system.Sandbox.GetAsync($"/v1/invoices/{stripe.GetProperty("latest_invoice").GetString()}");
        Assert.Equal(("paid", "subscription_cycle"), (invoice.GetProperty("status").GetString(), invoice.GetProperty("billing_reason").GetString()));
    }

    /// <summary>Opens the billing portal from the dashboard and updates the card there (the sandbox's helper does what its page does).</summary>
    private async Task UpdateCardInPortalAsync(HttpClient account, string card)
    {
        var portal = await account.PostAsync("/dashboard/billing/portal", new { returnUrl = Back }, 200);
        var portalSession = portal.GetProperty("url").GetString()!.Split('/')[^1];
        await system.Sandbox.PostAsync($"/v1/test_helpers/billing_portal/sessions/{portalSession}/update_card", ("card", card));
    }

    /// <summary>The developer's platform subscription once it is in <paramref name="status"/> (or whatever it is after 30 s).</summary>
    private async Task<Subscription> PlatformSubscriptionAsync(string accountId, SubscriptionStatus status)
    {
        var subscription = await SystemFixture.EventuallyAsync(() => system.Subscriptions.InScopeAsync(async services =>
        {
            var db = services.GetRequiredService<SubscriptionsDbContext>();
            return await db.Subscriptions.AsNoTracking().Where(s => s.AppId == PlatformApp.Id)
                .Join(db.Customers.Where(c => c.AppId == PlatformApp.Id && c.ExternalId == accountId), s => s.CustomerId, c => c.Id, (s, _) => s)
                .SingleOrDefaultAsync();
        }), s => s?.Status == status);
        Assert.Equal(status, subscription?.Status);
        return subscription!;
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        return response.StatusCode;
    }
}
