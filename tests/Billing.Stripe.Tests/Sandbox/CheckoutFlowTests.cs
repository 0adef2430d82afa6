using Xunit;
using Billing.Stripe.Tests.Sandbox.Support;

namespace Billing.Stripe.Tests.Sandbox;

public sealed class CheckoutFlowTests(SharedSandbox sandbox) : IClassFixture<SharedSandbox>
{
    StripeHttp Stripe => sandbox.Stripe;

    [Fact]
    public async Task Subscription_checkout_creates_customer_active_subscription_paid_invoice_and_events()
    {
        var (_, monthly, _) = await Fixtures.Plan(Stripe, 1500);
        var session = await Stripe.Create("/v1/checkout/sessions", ("mode", "subscription"), ("line_items[0][price]", monthly),
            ("line_items[0][quantity]", "2"), ("customer_email", "new@example.com"), ("client_reference_id", "app_42"),
            ("success_url", "https://app.example/ok?s={CHECKOUT_SESSION_ID}"), ("cancel_url", "https://app.example/cancel"),
            ("subscription_data[metadata][app_id]", "app_42"), ("metadata[order]", "o1"));
        Assert.StartsWith("cs_test_", session.Id());
        Assert.Equal("open", session["status"].Str());
        Assert.Equal(3000, session["amount_total"].Long());
        Assert.EndsWith("/checkout/" + session.Id(), session["url"].Str());
        Assert.Equal("https://app.example/ok?s={CHECKOUT_SESSION_ID}", session["success_url"].Str());

        var done = await Stripe.Create($"/v1/test_helpers/checkout/sessions/{session.Id()}/complete", ("card", "4242 4242 4242 4242"));
        Assert.Equal("complete", done["status"].Str());
        Assert.Equal("paid", done["payment_status"].Str());
        Assert.Null(done["url"]);
        Assert.Equal("app_42", done["client_reference_id"].Str());

        var customer = await Stripe.Fetch($"/v1/customers/{done["customer"].Str()}");
        Assert.Equal("new@example.com", customer["email"].Str());
        var sub = await Stripe.Fetch($"/v1/subscriptions/{done["subscription"].Str()}", ("expand[]", "latest_invoice"));
        Assert.Equal("active", sub["status"].Str());
        Assert.Equal("app_42", sub["metadata"]!["app_id"].Str());
        Assert.Equal(customer.Id(), sub["customer"].Str());
        var item = sub["items"]!["data"]![0]!;
        Assert.Equal(monthly, item["price"]!["id"].Str());
        Assert.Equal(2, item["quantity"].Long());
        Assert.True(item["current_period_end"].Long() > item["current_period_start"].Long());
        var invoice = sub["latest_invoice"]!;
        Assert.Equal("paid", invoice["status"].Str());
        Assert.Equal(3000, invoice["amount_paid"].Long());
        Assert.Equal("subscription_create", invoice["billing_reason"].Str());
        Assert.Equal(sub["id"].Str(), invoice["parent"]!["subscription_details"]!["subscription"].Str());
        var pi = await Stripe.Fetch($"/v1/payment_intents/{invoice["payments"]!["data"]![0]!["payment"]!["payment_intent"].Str()}");
        Assert.Equal("succeeded", pi["status"].Str());
        Assert.Equal(3000, pi["amount_received"].Long());

        var events = await Stripe.Fetch("/v1/events", ("limit", "50"));
        var types = events["data"]!.AsArray().Select(e => e!["type"].Str()).ToList();
        foreach (var expected in new[] { "checkout.session.completed", "customer.created", "customer.subscription.created",
                     "invoice.created", "invoice.finalized", "invoice.paid", "invoice.payment_succeeded", "payment_intent.succeeded", "charge.succeeded" })
            Assert.Contains(expected, types);
        var completed = events["data"]!.AsArray().First(e => e!["type"].Str() == "checkout.session.completed")!;
        Assert.Equal(session.Id(), completed["data"]!["object"]!["id"].Str());
        Assert.Equal("o1", completed["data"]!["object"]!["metadata"]!["order"].Str());
        Assert.StartsWith("req_", completed["request"]!["id"].Str());
    }

    [Fact]
    public async Task Trial_subscription_starts_trialing_with_nothing_charged()
    {
        var (_, monthly, _) = await Fixtures.Plan(Stripe);
        var done = await Fixtures.Subscribe(Stripe, monthly, trialDays: 14);
        Assert.Equal("no_payment_required", done["payment_status"].Str());
        var sub = await Stripe.Fetch($"/v1/subscriptions/{done["subscription"].Str()}");
        Assert.Equal("trialing", sub["status"].Str());
        Assert.Equal(14 * 86400, sub["trial_end"].Long() - sub["trial_start"].Long());
        var invoice = await Stripe.Fetch($"/v1/invoices/{sub["latest_invoice"].Str()}");
        Assert.Equal(0, invoice["amount_due"].Long());
        Assert.Equal("paid", invoice["status"].Str());
    }

    [Theory]
    [InlineData("4000000000000002", "generic_decline")]
    [InlineData("4000000000009995", "insufficient_funds")]
    public async Task Declined_cards_fail_checkout_with_card_errors_and_leave_it_open(string card, string declineCode)
    {
        var price = await Fixtures.OneTimePrice(Stripe, 2500);
        var session = await Stripe.Create("/v1/checkout/sessions", ("mode", "payment"), ("line_items[0][price]", price),
            ("line_items[0][quantity]", "1"), ("success_url", "https://app.example/ok"));
        var reply = await Stripe.Post($"/v1/test_helpers/checkout/sessions/{session.Id()}/complete", ("card", card));

        Assert.Equal(402, reply.Status);
        Assert.Equal("card_error", reply.Body["error"]!["type"].Str());
        Assert.Equal("card_declined", reply.Body["error"]!["code"].Str());
        Assert.Equal(declineCode, reply.Body["error"]!["decline_code"].Str());
        var after = await Stripe.Fetch($"/v1/checkout/sessions/{session.Id()}");
        Assert.Equal("open", after["status"].Str());
        var pi = await Stripe.Fetch($"/v1/payment_intents/{reply.Body["error"]!["payment_intent"]!["id"].Str()}");
        Assert.Equal("requires_payment_method", pi["status"].Str());
        Assert.Equal(declineCode, pi["last_payment_error"]!["decline_code"].Str());
        Assert.Contains(await Stripe.EventsFor(pi.Id()), e => e["type"].Str() == "payment_intent.payment_failed");

        var retry = await Stripe.Create($"/v1/test_helpers/checkout/sessions/{session.Id()}/complete", ("card", "4242424242424242"));
        Assert.Equal("paid", retry["payment_status"].Str());
        Assert.Equal(pi.Id(), retry["payment_intent"].Str());
    }

    [Fact]
    public async Task Manual_capture_holds_the_payment_until_captured()
    {
        var price = await Fixtures.OneTimePrice(Stripe, 5000);
        var session = await Stripe.Create("/v1/checkout/sessions", ("mode", "payment"), ("line_items[0][price]", price),
            ("line_items[0][quantity]", "1"), ("success_url", "https://app.example/ok"),
            ("payment_intent_data[capture_method]", "manual"), ("payment_intent_data[metadata][deposit]", "d1"));
        var done = await Stripe.Create($"/v1/test_helpers/checkout/sessions/{session.Id()}/complete", ("card", "4242424242424242"));
        var piId = done["payment_intent"].Str();
        var held = await Stripe.Fetch($"/v1/payment_intents/{piId}");
        Assert.Equal("requires_capture", held["status"].Str());
        Assert.Equal(5000, held["amount_capturable"].Long());
        Assert.Equal("d1", held["metadata"]!["deposit"].Str());
        Assert.Equal("manual", held["capture_method"].Str());

        var captured = await Stripe.Create($"/v1/payment_intents/{piId}/capture", ("amount_to_capture", "4000"));
        Assert.Equal("succeeded", captured["status"].Str());
        Assert.Equal(4000, captured["amount_received"].Long());
        var types = (await Stripe.EventsFor(piId)).Select(e => e["type"].Str()).ToList();
        Assert.Contains("payment_intent.amount_capturable_updated", types);
        Assert.Contains("payment_intent.succeeded", types);

        var again = await Stripe.Post($"/v1/payment_intents/{piId}/capture");
        Assert.Equal(400, again.Status);
    }

    [Fact]
    public async Task Canceling_a_held_payment_releases_it()
    {
        var price = await Fixtures.OneTimePrice(Stripe, 700);
        var session = await Stripe.Create("/v1/checkout/sessions", ("mode", "payment"), ("line_items[0][price]", price),
            ("line_items[0][quantity]", "1"), ("payment_intent_data[capture_method]", "manual"));
        var done = await Stripe.Create($"/v1/test_helpers/checkout/sessions/{session.Id()}/complete", ("payment_method", "pm_card_visa"));
        var canceled = await Stripe.Create($"/v1/payment_intents/{done["payment_intent"].Str()}/cancel");
        Assert.Equal("canceled", canceled["status"].Str());
        Assert.Contains(await Stripe.EventsFor(canceled.Id()), e => e["type"].Str() == "payment_intent.canceled");
        var charge = await Stripe.Fetch($"/v1/charges/{canceled["latest_charge"].Str()}");
        Assert.True(charge["refunded"]!.GetValue<bool>());
        Assert.False(charge["captured"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Refunds_full_and_partial_update_the_charge_and_emit_events()
    {
        var price = await Fixtures.OneTimePrice(Stripe, 10_000);
        var session = await Stripe.Create("/v1/checkout/sessions", ("mode", "payment"), ("line_items[0][price]", price),
            ("line_items[0][quantity]", "1"));
        var done = await Stripe.Create($"/v1/test_helpers/checkout/sessions/{session.Id()}/complete", ("card", "4242424242424242"));
        var piId = done["payment_intent"].Str();

        var partial = await Stripe.Create("/v1/refunds", ("payment_intent", piId), ("amount", "3000"), ("reason", "requested_by_customer"));
        Assert.Equal("succeeded", partial["status"].Str());
        Assert.Equal(3000, partial["amount"].Long());
        var charge = await Stripe.Fetch($"/v1/charges/{partial["charge"].Str()}");
        Assert.Equal(3000, charge["amount_refunded"].Long());
        Assert.False(charge["refunded"]!.GetValue<bool>());

        var tooMuch = await Stripe.Post("/v1/refunds", ("payment_intent", piId), ("amount", "8000"));
        Assert.Equal(400, tooMuch.Status);

        var rest = await Stripe.Create("/v1/refunds", ("charge", charge.Id()));
        Assert.Equal(7000, rest["amount"].Long());
        charge = await Stripe.Fetch($"/v1/charges/{charge.Id()}");
        Assert.True(charge["refunded"]!.GetValue<bool>());
        var refundedEvents = (await Stripe.EventsFor(charge.Id())).Where(e => e["type"].Str() == "charge.refunded").ToList();
        Assert.Equal(2, refundedEvents.Count);
        Assert.Equal(0, refundedEvents[0]["data"]!["previous_attributes"]!["amount_refunded"].Long());
        Assert.Contains(await Stripe.EventsFor(rest.Id()), e => e["type"].Str() == "refund.created");

        var none = await Stripe.Post("/v1/refunds", ("charge", charge.Id()));
        Assert.Equal("charge_already_refunded", none.Body["error"]!["code"].Str());
    }

    [Fact]
    public async Task Expire_closes_an_open_session_and_emits_expired()
    {
        var price = await Fixtures.OneTimePrice(Stripe, 100);
        var session = await Stripe.Create("/v1/checkout/sessions", ("line_items[0][price]", price), ("line_items[0][quantity]", "1"));
        Assert.Equal("payment", session["mode"].Str());
        var expired = await Stripe.Create($"/v1/checkout/sessions/{session.Id()}/expire");
        Assert.Equal("expired", expired["status"].Str());
        Assert.Null(expired["url"]);
        Assert.Contains(await Stripe.EventsFor(session.Id()), e => e["type"].Str() == "checkout.session.expired");
        var complete = await Stripe.Post($"/v1/test_helpers/checkout/sessions/{session.Id()}/complete", ("card", "4242424242424242"));
        Assert.Equal(400, complete.Status);
        Assert.Equal(400, (await Stripe.Post($"/v1/checkout/sessions/{session.Id()}/expire")).Status);
    }

    [Fact]
    public async Task Line_items_are_listed_and_expandable()
    {
        var a = await Fixtures.OneTimePrice(Stripe, 100);
        var b = await Fixtures.OneTimePrice(Stripe, 250);
        var session = await Stripe.Create("/v1/checkout/sessions", ("line_items[0][price]", a), ("line_items[0][quantity]", "3"),
            ("line_items[1][price]", b), ("line_items[1][quantity]", "1"));
        Assert.False(session.ContainsKey("line_items"));
        Assert.Equal(550, session["amount_total"].Long());
        var items = await Stripe.Fetch($"/v1/checkout/sessions/{session.Id()}/line_items");
        Assert.Equal([a, b], items["data"]!.AsArray().Select(i => i!["price"]!["id"].Str()));
        var expanded = await Stripe.Fetch($"/v1/checkout/sessions/{session.Id()}", ("expand[]", "line_items"));
        Assert.Equal(300, expanded["line_items"]!["data"]![0]!["amount_total"].Long());
        Assert.StartsWith("li_", expanded["line_items"]!["data"]![0]!["id"].Str());
    }

    [Fact]
    public async Task Checkout_rejects_mismatched_mode_and_bad_urls()
    {
        var (_, monthly, _) = await Fixtures.Plan(Stripe);
        var recurringInPayment = await Stripe.Post("/v1/checkout/sessions", ("mode", "payment"), ("line_items[0][price]", monthly),
            ("line_items[0][quantity]", "1"));
        Assert.Equal(400, recurringInPayment.Status);
        var badUrl = await Stripe.Post("/v1/checkout/sessions", ("mode", "subscription"), ("line_items[0][price]", monthly),
            ("line_items[0][quantity]", "1"), ("success_url", "not a url"));
        Assert.Equal("url_invalid", badUrl.Body["error"]!["code"].Str());
        var noItems = await Stripe.Post("/v1/checkout/sessions", ("mode", "subscription"));
        Assert.Equal("parameter_missing", noItems.Body["error"]!["code"].Str());
        var unknownPrice = await Stripe.Post("/v1/checkout/sessions", ("line_items[0][price]", "price_nope"), ("line_items[0][quantity]", "1"));
        Assert.Equal(404, unknownPrice.Status);
        Assert.Equal("line_items[0][price]", unknownPrice.Body["error"]!["param"].Str());
    }

    [Fact]
    public async Task Subscription_updates_and_immediate_cancel()
    {
        var (_, monthly, yearly) = await Fixtures.Plan(Stripe);
        var done = await Fixtures.Subscribe(Stripe, monthly);
        var subId = done["subscription"].Str();

        var atEnd = await Stripe.Create($"/v1/subscriptions/{subId}", ("cancel_at_period_end", "true"));
        Assert.True(atEnd["cancel_at_period_end"]!.GetValue<bool>());
        Assert.Equal("active", atEnd["status"].Str());
        var updated = (await Stripe.EventsFor(subId)).Last(e => e["type"].Str() == "customer.subscription.updated");
        Assert.False(updated["data"]!["previous_attributes"]!["cancel_at_period_end"]!.GetValue<bool>());

        var item = atEnd["items"]!["data"]![0]!["id"].Str();
        var switched = await Stripe.Create($"/v1/subscriptions/{subId}", ("items[0][id]", item), ("items[0][price]", yearly),
            ("proration_behavior", "none"), ("cancel_at_period_end", "false"));
        Assert.Equal(yearly, switched["items"]!["data"]![0]!["price"]!["id"].Str());
        Assert.False(switched["cancel_at_period_end"]!.GetValue<bool>());

        var canceled = await Stripe.Delete($"/v1/subscriptions/{subId}");
        Assert.Equal("canceled", canceled.Body["status"].Str());
        Assert.NotNull(canceled.Body["ended_at"]);
        Assert.Equal("cancellation_requested", canceled.Body["cancellation_details"]!["reason"].Str());
        Assert.Contains(await Stripe.EventsFor(subId), e => e["type"].Str() == "customer.subscription.deleted");
        var listed = await Stripe.Fetch("/v1/subscriptions", ("customer", done["customer"].Str()), ("status", "all"));
        Assert.Single(listed["data"]!.AsArray());
        var defaultList = await Stripe.Fetch("/v1/subscriptions", ("customer", done["customer"].Str()));
        Assert.Empty(defaultList["data"]!.AsArray());
    }

    [Fact]
    public async Task Subscription_data_trial_end_sets_the_trial_and_customer_creation_always_makes_a_customer()
    {
        var (_, monthly, _) = await Fixtures.Plan(Stripe);
        var trialEnd = DateTimeOffset.UtcNow.AddDays(5).ToUnixTimeSeconds();
        var done = await Fixtures.Subscribe(Stripe, monthly, extra: ("subscription_data[trial_end]", trialEnd.ToString()));
        var sub = await Stripe.Fetch($"/v1/subscriptions/{done["subscription"].Str()}");
        Assert.Equal("trialing", sub["status"].Str());
        Assert.Equal(trialEnd, sub["trial_end"].Long());
        Assert.Equal(trialEnd, sub["items"]!["data"]![0]!["current_period_end"].Long());
        var tooSoon = await Stripe.Post("/v1/checkout/sessions", ("mode", "subscription"), ("line_items[0][price]", monthly),
            ("line_items[0][quantity]", "1"), ("subscription_data[trial_end]", DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds().ToString()));
        Assert.Equal(400, tooSoon.Status);

        var price = await Fixtures.OneTimePrice(Stripe, 300);
        var guest = await Stripe.Create("/v1/checkout/sessions", ("line_items[0][price]", price), ("line_items[0][quantity]", "1"));
        var guestDone = await Stripe.Create($"/v1/test_helpers/checkout/sessions/{guest.Id()}/complete", ("card", "4242424242424242"));
        Assert.Null(guestDone["customer"]);
        var always = await Stripe.Create("/v1/checkout/sessions", ("line_items[0][price]", price), ("line_items[0][quantity]", "1"),
            ("customer_creation", "always"), ("customer_email", "always@example.com"));
        var alwaysDone = await Stripe.Create($"/v1/test_helpers/checkout/sessions/{always.Id()}/complete", ("card", "4242424242424242"));
        Assert.Equal("always@example.com", (await Stripe.Fetch($"/v1/customers/{alwaysDone["customer"].Str()}"))["email"].Str());
    }
}
