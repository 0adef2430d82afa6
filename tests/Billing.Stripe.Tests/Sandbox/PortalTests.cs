using Xunit;
using System.Net;
using Billing.Stripe.Tests.Sandbox.Support;

namespace Billing.Stripe.Tests.Sandbox;

public sealed class PortalTests(SharedSandbox sandbox) : IClassFixture<SharedSandbox>
{
    StripeHttp Stripe => sandbox.Stripe;

    [Fact]
    public async Task Portal_helpers_cancel_resume_switch_and_update_the_card()
    {
        var (_, monthly, yearly) = await Fixtures.Plan(Stripe);
        var done = await Fixtures.Subscribe(Stripe, monthly);
        var subId = done["subscription"].Str();
        var portal = await Stripe.Create("/v1/billing_portal/sessions", ("customer", done["customer"].Str()),
            ("return_url", "https://app.example/account"));
        Assert.StartsWith("bps_", portal.Id());
        Assert.EndsWith("/billing_portal/" + portal.Id(), portal["url"].Str());
        var helper = $"/v1/test_helpers/billing_portal/sessions/{portal.Id()}";

        var canceling = await Stripe.Create($"{helper}/cancel_subscription", ("subscription", subId));
        Assert.True(canceling["cancel_at_period_end"]!.GetValue<bool>());
        var resumed = await Stripe.Create($"{helper}/resume_subscription", ("subscription", subId));
        Assert.False(resumed["cancel_at_period_end"]!.GetValue<bool>());
        var switched = await Stripe.Create($"{helper}/switch_price", ("subscription", subId), ("price", yearly));
        Assert.Equal(yearly, switched["items"]!["data"]![0]!["price"]!["id"].Str());
        var otherProduct = (await Fixtures.Plan(Stripe)).Monthly;
        Assert.Equal(400, (await Stripe.Post($"{helper}/switch_price", ("subscription", subId), ("price", otherProduct))).Status);

        var card = await Stripe.Create($"{helper}/update_card", ("card", "5555555555554444"));
        Assert.Equal("4444", card["card"]!["last4"].Str());
        var customer = await Stripe.Fetch($"/v1/customers/{done["customer"].Str()}");
        Assert.Equal(card.Id(), customer["invoice_settings"]!["default_payment_method"].Str());
        Assert.Equal(card.Id(), (await Stripe.Fetch($"/v1/subscriptions/{subId}"))["default_payment_method"].Str());
        // Nested hashes report only their changed keys, as Stripe does.
        var customerUpdated = (await Stripe.EventsFor(customer.Id())).Last(e => e["type"].Str() == "customer.updated");
        var previous = customerUpdated["data"]!["previous_attributes"]!.AsObject();
        Assert.Equal(["invoice_settings"], previous.Select(kv => kv.Key));
        Assert.Equal(["default_payment_method"], previous["invoice_settings"]!.AsObject().Select(kv => kv.Key));
        Assert.Null(previous["invoice_settings"]!["default_payment_method"]);
    }

    [Fact]
    public async Task The_portal_page_cancels_through_its_form_and_links_back()
    {
        var (_, monthly, _) = await Fixtures.Plan(Stripe);
        var done = await Fixtures.Subscribe(Stripe, monthly);
        var portal = await Stripe.Create("/v1/billing_portal/sessions", ("customer", done["customer"].Str()),
            ("return_url", "https://app.example/account"));
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });

        var page = await (await browser.GetAsync(portal["url"].Str())).Content.ReadAsStringAsync();
        Assert.Contains("https://app.example/account", page);
        Assert.Contains("Cancel plan", page);
        Assert.Contains(done["subscription"].Str(), page);

        var post = await browser.PostAsync(portal["url"].Str() + "/cancel",
            new FormUrlEncodedContent([new("subscription", done["subscription"].Str())]));
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        var sub = await Stripe.Fetch($"/v1/subscriptions/{done["subscription"].Str()}");
        Assert.True(sub["cancel_at_period_end"]!.GetValue<bool>());
        var after = await (await browser.GetAsync(portal["url"].Str())).Content.ReadAsStringAsync();
        Assert.Contains("Resume plan", after);
    }
}
