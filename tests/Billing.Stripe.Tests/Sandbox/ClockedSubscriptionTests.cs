using System.Text.Json.Nodes;
using Billing.Stripe.Tests.Sandbox.Support;
using Xunit;

namespace Billing.Stripe.Tests.Sandbox;

/// <summary>
/// What the Subscriptions service's end-to-end tests rely on: checkout subscriptions of a customer on
/// a test clock run on that clock (trials with several seats included), the portal's card update
/// pays a past-due invoice at once, and the portal's price switch bills like an API update.
/// </summary>
public sealed class ClockedSubscriptionTests(SharedSandbox sandbox) : IClassFixture<SharedSandbox>
{
    StripeHttp Stripe => sandbox.Stripe;
    const long Day = 86400;

    async Task<(string Clock, string Customer, long Start)> ClockCustomer()
    {
        var start = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var clock = await Stripe.Create("/v1/test_helpers/test_clocks", ("frozen_time", start.ToString()));
        var customer = await Stripe.Create("/v1/customers", ("email", "e2e@example.com"), ("test_clock", clock.Id()));
        return (clock.Id(), customer.Id(), start);
    }

    async Task<List<JsonObject>> Events(string type, string objectId)
    {
        var list = await Stripe.Fetch("/v1/events", ("type", type), ("limit", "100"));
        return list["data"]!.AsArray().Select(e => e!.AsObject())
            .Where(e => e["data"]!["object"]!["id"]?.GetValue<string>() == objectId).Reverse().ToList();
    }

    [Fact]
    public async Task A_trial_with_three_seats_through_checkout_runs_on_the_customers_clock_and_bills_every_seat_after_it()
    {
        var (clock, customer, start) = await ClockCustomer();
        var (_, monthly, _) = await Fixtures.Plan(Stripe, 1200);
        var session = await Stripe.Create("/v1/checkout/sessions", ("mode", "subscription"), ("customer", customer),
            ("line_items[0][price]", monthly), ("line_items[0][quantity]", "3"), ("subscription_data[trial_period_days]", "14"),
            ("success_url", "https://app.example/ok"));
        var done = await Stripe.Create($"/v1/test_helpers/checkout/sessions/{session.Id()}/complete", ("card", "4242424242424242"));
        Assert.Equal("no_payment_required", done["payment_status"].Str());

        var sub = await Stripe.Fetch($"/v1/subscriptions/{done["subscription"].Str()}", ("expand[]", "latest_invoice"));
        Assert.Equal("trialing", sub["status"].Str());
        Assert.Equal(clock, sub["test_clock"].Str());
        Assert.Equal(start + 14 * Day, sub["trial_end"].Long());
        Assert.Equal(3, sub["items"]!["data"]![0]!["quantity"].Long());
        Assert.Equal(0, sub["latest_invoice"]!["amount_due"].Long());
        Assert.Equal(3, sub["latest_invoice"]!["lines"]!["data"]![0]!["quantity"].Long());

        await Fixtures.Advance(Stripe, clock, start + 14 * Day + 60);
        sub = await Stripe.Fetch($"/v1/subscriptions/{sub.Id()}", ("expand[]", "latest_invoice"));
        Assert.Equal("active", sub["status"].Str());
        Assert.Equal("paid", sub["latest_invoice"]!["status"].Str());
        Assert.Equal(3 * 1200, sub["latest_invoice"]!["amount_paid"].Long());
        Assert.Equal(start + 14 * Day, sub["latest_invoice"]!["period_start"].Long());
        Assert.Equal(clock, sub["latest_invoice"]!["test_clock"].Str());
    }

    [Fact]
    public async Task A_card_updated_in_the_portal_pays_the_past_due_invoice_at_once_and_the_subscription_is_active_again()
    {
        var (clock, customer, _) = await ClockCustomer();
        var (_, monthly, _) = await Fixtures.Plan(Stripe, 900);
        var done = await Fixtures.Subscribe(Stripe, monthly, card: "4000000000000341", customer: customer);
        var subId = done["subscription"].Str();
        var end = (await Stripe.Fetch($"/v1/subscriptions/{subId}"))["items"]!["data"]![0]!["current_period_end"].Long();
        await Fixtures.Advance(Stripe, clock, end + 60);
        var sub = await Stripe.Fetch($"/v1/subscriptions/{subId}");
        Assert.Equal("past_due", sub["status"].Str());
        var invoiceId = sub["latest_invoice"].Str();
        Assert.Equal("open", (await Stripe.Fetch($"/v1/invoices/{invoiceId}"))["status"].Str());

        var portal = await Stripe.Create("/v1/billing_portal/sessions", ("customer", customer), ("return_url", "https://app.example/account"));
        await Stripe.Create($"/v1/test_helpers/billing_portal/sessions/{portal.Id()}/update_card", ("card", "4242424242424242"));

        var invoice = await Stripe.Fetch($"/v1/invoices/{invoiceId}");
        Assert.Equal("paid", invoice["status"].Str());
        Assert.Equal(900, invoice["amount_paid"].Long());
        Assert.Equal("active", (await Stripe.Fetch($"/v1/subscriptions/{subId}"))["status"].Str());
        Assert.Single(await Events("invoice.paid", invoiceId));
        var recovered = (await Events("customer.subscription.updated", subId))
            .Last(e => e["data"]!["previous_attributes"]!["status"]?.GetValue<string>() == "past_due");
        Assert.Equal("active", recovered["data"]!["object"]!["status"].Str());
        Assert.NotNull(recovered["request"]!["id"]);
    }

    [Fact]
    public async Task Switching_monthly_to_yearly_in_the_portal_bills_the_year_now_less_the_unused_month()
    {
        var (clock, customer, start) = await ClockCustomer();
        var (_, monthly, yearly) = await Fixtures.Plan(Stripe, 1000);
        var done = await Fixtures.Subscribe(Stripe, monthly, customer: customer);
        var subId = done["subscription"].Str();
        var item = (await Stripe.Fetch($"/v1/subscriptions/{subId}"))["items"]!["data"]![0]!;
        var (periodStart, periodEnd) = (item["current_period_start"].Long(), item["current_period_end"].Long());
        var at = start + 10 * Day;
        await Fixtures.Advance(Stripe, clock, at);

        var preview = await Stripe.Create("/v1/invoices/create_preview", ("subscription", subId),
            ("subscription_details[items][0][id]", item["id"].Str()), ("subscription_details[items][0][price]", yearly),
            ("subscription_details[proration_date]", at.ToString()));
        // The older string form of the anchor is accepted too (Stripe.net 53 sends billing_cycle_anchor[type]).
        var reset = await Stripe.Create("/v1/invoices/create_preview", ("subscription", subId),
            ("subscription_details[billing_cycle_anchor]", "now"), ("subscription_details[proration_date]", at.ToString()));
        Assert.Equal("subscription_update", reset["billing_reason"].Str());
        var portal = await Stripe.Create("/v1/billing_portal/sessions", ("customer", customer), ("return_url", "https://app.example/account"));
        var switched = await Stripe.Create($"/v1/test_helpers/billing_portal/sessions/{portal.Id()}/switch_price",
            ("subscription", subId), ("price", yearly));

        var credit = (long)Math.Round(1000m * (periodEnd - at) / (periodEnd - periodStart), MidpointRounding.AwayFromZero);
        Assert.Equal(10000 - credit, preview["amount_due"].Long());
        Assert.Equal(1000 - credit, reset["amount_due"].Long());
        Assert.Equal(at, switched["billing_cycle_anchor"].Long());
        var invoice = await Stripe.Fetch($"/v1/invoices/{switched["latest_invoice"].Str()}");
        Assert.Equal("subscription_update", invoice["billing_reason"].Str());
        Assert.Equal("paid", invoice["status"].Str());
        Assert.Equal(preview["amount_due"].Long(), invoice["amount_paid"].Long());
    }
}
