using Xunit;
using System.Net;
using Billing.Stripe.Tests.Sandbox.Support;

namespace Billing.Stripe.Tests.Sandbox;

public sealed class ConnectTests(SharedSandbox sandbox) : IClassFixture<SharedSandbox>
{
    StripeHttp Stripe => sandbox.Stripe;

    async Task<string> ExpressAccount() =>
        (await Stripe.Create("/v1/accounts", ("type", "express"), ("country", "US"), ("email", "creator@example.com"),
            ("capabilities[transfers][requested]", "true"), ("metadata[app_id]", "app_1"))).Id();

    [Fact]
    public async Task Onboarding_through_the_hosted_link_completes_the_account()
    {
        var account = await ExpressAccount();
        var fresh = await Stripe.Fetch($"/v1/accounts/{account}");
        Assert.False(fresh["charges_enabled"]!.GetValue<bool>());
        Assert.NotEmpty(fresh["requirements"]!["currently_due"]!.AsArray());
        Assert.Equal("express", fresh["type"].Str());

        var link = await Stripe.Create("/v1/account_links", ("account", account), ("type", "account_onboarding"),
            ("refresh_url", "https://app.example/refresh"), ("return_url", "https://app.example/return"));
        Assert.Equal("account_link", link["object"].Str());
        Assert.True(link["expires_at"].Long() > link["created"].Long());

        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var page = await browser.GetAsync(link["url"].Str());
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<form", await page.Content.ReadAsStringAsync());
        var submit = await browser.PostAsync(link["url"].Str(), new FormUrlEncodedContent([new("name", "Jenny Rosen")]));
        Assert.Equal(HttpStatusCode.Redirect, submit.StatusCode);
        Assert.Equal("https://app.example/return", submit.Headers.Location!.ToString());
        var reuse = await browser.GetAsync(link["url"].Str());
        Assert.Equal("https://app.example/refresh", reuse.Headers.Location!.ToString());

        var done = await Stripe.Fetch($"/v1/accounts/{account}");
        Assert.True(done["details_submitted"]!.GetValue<bool>());
        Assert.True(done["charges_enabled"]!.GetValue<bool>());
        Assert.True(done["payouts_enabled"]!.GetValue<bool>());
        Assert.Equal("active", done["capabilities"]!["transfers"].Str());

        var events = await Stripe.EventsFor(account, account);
        var updated = Assert.Single(events, e => e["type"].Str() == "account.updated");
        Assert.Equal(account, updated["account"].Str());
        Assert.False(updated["data"]!["previous_attributes"]!["charges_enabled"]!.GetValue<bool>());
        Assert.DoesNotContain(await Stripe.EventsFor(account), e => e["type"].Str() == "account.updated");
    }

    [Fact]
    public async Task Get_account_is_the_platform_or_the_connected_account_named_by_the_header()
    {
        var platform = await Stripe.Fetch("/v1/account");
        Assert.True(platform["charges_enabled"]!.GetValue<bool>());
        Assert.DoesNotContain((await Stripe.Fetch("/v1/accounts", ("limit", "100")))["data"]!.AsArray(), a => a!["id"].Str() == platform.Id());
        var account = await ExpressAccount();
        var self = await Stripe.Send(HttpMethod.Get, "/v1/account", [], account: account);
        Assert.Equal(account, self.Id);
        Assert.False(self.Body["charges_enabled"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Transfers_need_an_onboarded_destination()
    {
        var account = await ExpressAccount();
        var early = await Stripe.Post("/v1/transfers", ("amount", "500"), ("currency", "usd"), ("destination", account));
        Assert.Equal(400, early.Status);

        await Stripe.Create($"/v1/test_helpers/accounts/{account}/onboard");
        var transfer = await Stripe.Create("/v1/transfers", ("amount", "500"), ("currency", "usd"), ("destination", account),
            ("transfer_group", "order_1"), ("metadata[payout]", "p1"));
        Assert.StartsWith("tr_", transfer.Id());
        Assert.Equal(account, transfer["destination"].Str());
        Assert.Equal(500, transfer["amount"].Long());
        Assert.Contains(await Stripe.EventsFor(transfer.Id()), e => e["type"].Str() == "transfer.created");
        var listed = await Stripe.Fetch("/v1/transfers", ("destination", account));
        Assert.Single(listed["data"]!.AsArray());
    }

    [Fact]
    public async Task Destination_charge_sends_the_amount_less_the_fee_to_the_account()
    {
        var account = await ExpressAccount();
        await Stripe.Create($"/v1/test_helpers/accounts/{account}/onboard");
        var price = await Fixtures.OneTimePrice(Stripe, 10_000);
        var session = await Stripe.Create("/v1/checkout/sessions", ("mode", "payment"), ("line_items[0][price]", price),
            ("line_items[0][quantity]", "1"), ("payment_intent_data[transfer_data][destination]", account),
            ("payment_intent_data[application_fee_amount]", "1500"));
        var done = await Stripe.Create($"/v1/test_helpers/checkout/sessions/{session.Id()}/complete", ("card", "4242424242424242"));
        var pi = await Stripe.Fetch($"/v1/payment_intents/{done["payment_intent"].Str()}", ("expand[]", "latest_charge"));
        Assert.Equal(account, pi["transfer_data"]!["destination"].Str());
        Assert.Equal(1500, pi["application_fee_amount"].Long());
        var transfer = await Stripe.Fetch($"/v1/transfers/{pi["latest_charge"]!["transfer"].Str()}");
        Assert.Equal(8500, transfer["amount"].Long());
        Assert.Equal(account, transfer["destination"].Str());
        Assert.Equal(pi["latest_charge"]!["id"].Str(), transfer["source_transaction"].Str());

        // Refunding half with reverse_transfer takes back half of what the account got.
        var refund = await Stripe.Create("/v1/refunds", ("payment_intent", pi.Id()), ("amount", "5000"), ("reverse_transfer", "true"));
        transfer = await Stripe.Fetch($"/v1/transfers/{transfer.Id()}");
        Assert.Equal(4250, transfer["amount_reversed"].Long());
        Assert.False(transfer["reversed"]!.GetValue<bool>());
        Assert.Equal(refund["transfer_reversal"].Str(), transfer["reversals"]!["data"]![0]!["id"].Str());
        Assert.Contains(await Stripe.EventsFor(transfer.Id()), e => e["type"].Str() == "transfer.reversed");

        var rest = await Stripe.Create($"/v1/transfers/{transfer.Id()}/reversals");
        Assert.Equal(4250, rest["amount"].Long());
        Assert.True((await Stripe.Fetch($"/v1/transfers/{transfer.Id()}"))["reversed"]!.GetValue<bool>());
        Assert.Equal(400, (await Stripe.Post($"/v1/transfers/{transfer.Id()}/reversals", ("amount", "1"))).Status);
    }

    [Fact]
    public async Task Stripe_Account_header_scopes_objects_to_the_connected_account()
    {
        var account = await ExpressAccount();
        var mine = await Stripe.Send(HttpMethod.Post, "/v1/customers", [("email", "connected@example.com")], account: account);
        Assert.Equal(200, mine.Status);
        Assert.Equal(404, (await Stripe.Get($"/v1/customers/{mine.Id}")).Status);
        Assert.Equal(200, (await Stripe.Send(HttpMethod.Get, $"/v1/customers/{mine.Id}", [], account: account)).Status);
        var created = Assert.Single(await Stripe.EventsFor(mine.Id, account));
        Assert.Equal(account, created["account"].Str());

        var unknown = await Stripe.Send(HttpMethod.Get, "/v1/customers", [], account: "acct_unknown");
        Assert.Equal(403, unknown.Status);
    }
}
