using Xunit;
using Billing.Stripe.Tests.Sandbox.Support;

namespace Billing.Stripe.Tests.Sandbox;

public sealed class TestClockTests(SharedSandbox sandbox) : IClassFixture<SharedSandbox>
{
    StripeHttp Stripe => sandbox.Stripe;
    const long Day = 86400;

    async Task<(string Clock, string Customer, long Start)> ClockCustomer()
    {
        var start = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var clock = await Stripe.Create("/v1/test_helpers/test_clocks", ("frozen_time", start.ToString()), ("name", "renewals"));
        var customer = await Stripe.Create("/v1/customers", ("email", "clock@example.com"), ("test_clock", clock.Id()));
        return (clock.Id(), customer.Id(), start);
    }

    [Fact]
    public async Task Advancing_past_the_period_end_renews_with_a_new_paid_invoice()
    {
        var (clock, customer, start) = await ClockCustomer();
        var (_, monthly, _) = await Fixtures.Plan(Stripe, 2000);
        var done = await Fixtures.Subscribe(Stripe, monthly, customer: customer);
        var sub = await Stripe.Fetch($"/v1/subscriptions/{done["subscription"].Str()}");
        var firstEnd = sub["items"]!["data"]![0]!["current_period_end"].Long();
        Assert.Equal(clock, sub["test_clock"].Str());
        Assert.Equal(start, sub["start_date"].Long());

        await Fixtures.Advance(Stripe, clock, firstEnd + 3600);

        sub = await Stripe.Fetch($"/v1/subscriptions/{sub.Id()}");
        Assert.Equal("active", sub["status"].Str());
        Assert.Equal(firstEnd, sub["items"]!["data"]![0]!["current_period_start"].Long());
        var invoices = await Stripe.Fetch("/v1/invoices", ("subscription", sub.Id()));
        Assert.Equal(2, invoices["data"]!.AsArray().Count);
        var renewal = invoices["data"]![0]!;
        Assert.Equal("subscription_cycle", renewal["billing_reason"].Str());
        Assert.Equal("paid", renewal["status"].Str());
        Assert.Equal(2000, renewal["amount_paid"].Long());
        Assert.Equal(sub["latest_invoice"].Str(), renewal["id"].Str());
        var clockEvents = await Stripe.Fetch("/v1/events", ("type", "test_helpers.test_clock.*"));
        Assert.Contains(clockEvents["data"]!.AsArray(), e => e!["type"].Str() == "test_helpers.test_clock.ready");
    }

    [Fact]
    public async Task A_trial_ends_into_a_paid_active_subscription()
    {
        var (clock, customer, start) = await ClockCustomer();
        var (_, monthly, _) = await Fixtures.Plan(Stripe, 900);
        var done = await Fixtures.Subscribe(Stripe, monthly, customer: customer, trialDays: 7);
        var subId = done["subscription"].Str();
        Assert.Equal("trialing", (await Stripe.Fetch($"/v1/subscriptions/{subId}"))["status"].Str());

        await Fixtures.Advance(Stripe, clock, start + 8 * Day);

        var sub = await Stripe.Fetch($"/v1/subscriptions/{subId}", ("expand[]", "latest_invoice"));
        Assert.Equal("active", sub["status"].Str());
        Assert.Equal(900, sub["latest_invoice"]!["amount_paid"].Long());
        var updated = (await Stripe.EventsFor(subId)).First(e => e["type"].Str() == "customer.subscription.updated");
        Assert.Equal("trialing", updated["data"]!["previous_attributes"]!["status"].Str());
        Assert.Null(updated["request"]!["id"]);
    }

    [Fact]
    public async Task A_failing_card_goes_past_due_then_canceled_after_the_retries()
    {
        var (clock, customer, _) = await ClockCustomer();
        var (_, monthly, _) = await Fixtures.Plan(Stripe, 3000);
        var done = await Fixtures.Subscribe(Stripe, monthly, card: "4000000000000341", customer: customer);
        var subId = done["subscription"].Str();
        var sub = await Stripe.Fetch($"/v1/subscriptions/{subId}");
        Assert.Equal("active", sub["status"].Str()); // 0341 attaches and pays at checkout
        var periodEnd = sub["items"]!["data"]![0]!["current_period_end"].Long();

        await Fixtures.Advance(Stripe, clock, periodEnd + 3600);
        sub = await Stripe.Fetch($"/v1/subscriptions/{subId}", ("expand[]", "latest_invoice"));
        Assert.Equal("past_due", sub["status"].Str());
        var invoice = sub["latest_invoice"]!;
        Assert.Equal("open", invoice["status"].Str());
        Assert.Equal(1, invoice["attempt_count"].Long());
        Assert.True(invoice["next_payment_attempt"].Long() > periodEnd);
        Assert.Contains(await Stripe.EventsFor(invoice["id"].Str()), e => e["type"].Str() == "invoice.payment_failed");

        await Fixtures.Advance(Stripe, clock, periodEnd + 20 * Day);
        sub = await Stripe.Fetch($"/v1/subscriptions/{subId}");
        Assert.Equal("canceled", sub["status"].Str());
        Assert.Equal("payment_failed", sub["cancellation_details"]!["reason"].Str());
        invoice = await Stripe.Fetch($"/v1/invoices/{invoice["id"].Str()}");
        Assert.Equal(4, invoice["attempt_count"].Long());
        var failures = (await Stripe.EventsFor(invoice["id"].Str())).Count(e => e["type"].Str() == "invoice.payment_failed");
        Assert.Equal(4, failures);
        Assert.Contains(await Stripe.EventsFor(subId), e => e["type"].Str() == "customer.subscription.deleted");
    }

    [Fact]
    public async Task Cancel_at_period_end_takes_effect_when_the_clock_passes_it()
    {
        var (clock, customer, _) = await ClockCustomer();
        var (_, monthly, _) = await Fixtures.Plan(Stripe);
        var done = await Fixtures.Subscribe(Stripe, monthly, customer: customer);
        var sub = await Stripe.Create($"/v1/subscriptions/{done["subscription"].Str()}", ("cancel_at_period_end", "true"));
        var end = sub["items"]!["data"]![0]!["current_period_end"].Long();

        await Fixtures.Advance(Stripe, clock, end + 60);

        sub = await Stripe.Fetch($"/v1/subscriptions/{sub.Id()}");
        Assert.Equal("canceled", sub["status"].Str());
        Assert.Equal(end, sub["ended_at"].Long());
        var invoices = await Stripe.Fetch("/v1/invoices", ("subscription", sub.Id()));
        Assert.Single(invoices["data"]!.AsArray());
    }

    [Fact]
    public async Task Open_sessions_expire_when_the_clock_passes_expires_at()
    {
        var (clock, customer, start) = await ClockCustomer();
        var price = await Fixtures.OneTimePrice(Stripe, 100);
        var session = await Stripe.Create("/v1/checkout/sessions", ("customer", customer), ("line_items[0][price]", price),
            ("line_items[0][quantity]", "1"), ("expires_at", (start + 3600).ToString()));
        await Fixtures.Advance(Stripe, clock, start + 7200);
        Assert.Equal("expired", (await Stripe.Fetch($"/v1/checkout/sessions/{session.Id()}"))["status"].Str());
    }

    [Fact]
    public async Task Advancing_backwards_or_too_far_is_rejected()
    {
        var (clock, customer, start) = await ClockCustomer();
        var (_, monthly, _) = await Fixtures.Plan(Stripe);
        await Fixtures.Subscribe(Stripe, monthly, customer: customer);
        Assert.Equal(400, (await Stripe.Post($"/v1/test_helpers/test_clocks/{clock}/advance", ("frozen_time", (start - 1).ToString()))).Status);
        Assert.Equal(400, (await Stripe.Post($"/v1/test_helpers/test_clocks/{clock}/advance", ("frozen_time", (start + 90 * Day).ToString()))).Status);
    }

    [Fact]
    public async Task A_past_due_invoice_paid_on_the_hosted_invoice_page_makes_the_subscription_active()
    {
        var (clock, customer, _) = await ClockCustomer();
        var (_, monthly, _) = await Fixtures.Plan(Stripe, 1100);
        var done = await Fixtures.Subscribe(Stripe, monthly, card: "4000000000000341", customer: customer);
        var subId = done["subscription"].Str();
        var end = (await Stripe.Fetch($"/v1/subscriptions/{subId}"))["items"]!["data"]![0]!["current_period_end"].Long();
        await Fixtures.Advance(Stripe, clock, end + 60);
        var sub = await Stripe.Fetch($"/v1/subscriptions/{subId}", ("expand[]", "latest_invoice"));
        Assert.Equal("past_due", sub["status"].Str());
        var url = sub["latest_invoice"]!["hosted_invoice_url"].Str();

        using var browser = new HttpClient();
        Assert.Contains("open", await browser.GetStringAsync(url));
        var declined = await browser.PostAsync(url, new FormUrlEncodedContent([new("card", "4000000000000002")]));
        Assert.Contains("declined", await declined.Content.ReadAsStringAsync());
        var paid = await browser.PostAsync(url, new FormUrlEncodedContent([new("card", "4242424242424242")]));
        Assert.Contains(">paid<", await paid.Content.ReadAsStringAsync());

        var invoice = await Stripe.Fetch($"/v1/invoices/{sub["latest_invoice"]!["id"].Str()}");
        Assert.Equal("paid", invoice["status"].Str());
        Assert.Equal(1100, invoice["amount_paid"].Long());
        Assert.Equal("active", (await Stripe.Fetch($"/v1/subscriptions/{subId}"))["status"].Str());
    }
}
