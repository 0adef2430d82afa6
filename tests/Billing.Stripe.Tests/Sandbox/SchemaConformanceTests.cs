using Xunit;
using System.Text.Json.Nodes;
using Billing.Stripe.Tests.Sandbox.Support;

namespace Billing.Stripe.Tests.Sandbox;

/// <summary>
/// Runs flows that produce every object type the sandbox serves, then checks every response (and
/// every event's data.object) against the matching schema of Stripe's OpenAPI description.
/// </summary>
public sealed class SchemaConformanceTests
{
    [Fact]
    public async Task Every_response_and_event_object_matches_the_OpenAPI_schemas()
    {
        await using var host = await SandboxHost.StartAsync();
        var stripe = host.Stripe;
        await ProduceEveryType(stripe);

        var problems = new List<string>();
        var checkedTypes = new HashSet<string>();
        foreach (var (path, body) in stripe.Seen.ToList())
            foreach (var (node, schema) in Objects(body.AsObject()))
            {
                if (!SchemaValidator.Instance.Has(schema))
                {
                    problems.Add($"{path}: no schema named {schema}");
                    continue;
                }
                checkedTypes.Add(schema);
                problems.AddRange(SchemaValidator.Instance.Validate(node, schema).Select(e => $"{path} [{schema}] {e}"));
            }

        Assert.True(problems.Count == 0, string.Join("\n", problems.Distinct().Take(60)));

        // Meter events postdate the placed spec; their shape is the digest's (API-SUBSET.md section 5).
        var meterEvent = stripe.Seen.Select(x => x.Body).Single(b => b["object"]?.GetValue<string>() == "billing.meter_event");
        Assert.Equal(["created", "event_name", "identifier", "livemode", "object", "payload", "timestamp"],
            meterEvent.AsObject().Select(kv => kv.Key).Order());
        Assert.Equal(System.Text.Json.JsonValueKind.Number, meterEvent["timestamp"]!.GetValueKind());
        Assert.Equal(System.Text.Json.JsonValueKind.Object, meterEvent["payload"]!.GetValueKind());
        foreach (var expected in new[]
                 {
                     "customer", "deleted_customer", "product", "deleted_product", "price", "checkout.session", "item", "subscription",
                     "invoice", "invoiceitem", "billing_portal.session", "account", "account_link", "refund", "transfer", "payment_intent", "charge",
                     "payment_method", "event", "webhook_endpoint", "test_helpers.test_clock", "error", "transfer_reversal",
                 })
            Assert.Contains(expected, checkedTypes);
    }

    /// <summary>The objects inside a response: itself, list items, and every event's data.object.</summary>
    static IEnumerable<(JsonNode Node, string Schema)> Objects(JsonObject body)
    {
        if (body.ContainsKey("error")) { yield return (body, "error"); yield break; }
        var type = body["object"]?.GetValue<string>();
        if (type is null) yield break;
        if (type == "list")
        {
            foreach (var item in body["data"]!.AsArray())
                foreach (var inner in Objects(item!.AsObject())) yield return inner;
            yield break;
        }
        if (type == "billing.meter_event") yield break; // absent from the 2023 spec (section 8): checked below by the digest
        if (body["deleted"] is not null) { yield return (body, "deleted_" + type); yield break; }
        yield return (body, type);
        if (type == "event") foreach (var inner in Objects(body["data"]!["object"]!.AsObject())) yield return inner;
    }

    static async Task ProduceEveryType(StripeHttp stripe)
    {
        var (product, monthly, _) = await Fixtures.Plan(stripe);
        await stripe.Fetch($"/v1/products/{product}", ("expand[]", "default_price"));
        await stripe.Create("/v1/products", ("name", "With price"), ("default_price_data[currency]", "usd"), ("default_price_data[unit_amount]", "500"));
        var done = await Fixtures.Subscribe(stripe, monthly, extra: ("subscription_data[metadata][a]", "b"));
        await stripe.Fetch($"/v1/checkout/sessions/{done.Id()}", ("expand[]", "line_items"), ("expand[]", "subscription"));
        await stripe.Fetch($"/v1/checkout/sessions/{done.Id()}/line_items");
        var sub = await stripe.Fetch($"/v1/subscriptions/{done["subscription"]!.GetValue<string>()}", ("expand[]", "latest_invoice"), ("expand[]", "customer"));
        await stripe.Fetch("/v1/invoices", ("subscription", sub.Id()));
        await stripe.Fetch($"/v1/invoices/{sub["latest_invoice"]!["id"]!.GetValue<string>()}/lines");
        await stripe.Create("/v1/billing_portal/sessions", ("customer", sub["customer"]!["id"]!.GetValue<string>()), ("return_url", "https://x.example"));
        var itemId = sub["items"]!["data"]![0]!["id"]!.GetValue<string>();
        await stripe.Create("/v1/invoices/create_preview", ("subscription", sub.Id()),
            ("subscription_details[items][0][id]", itemId), ("subscription_details[items][0][quantity]", "2"));
        await stripe.Create($"/v1/subscriptions/{sub.Id()}", ("items[0][id]", itemId), ("items[0][quantity]", "2"));
        await stripe.Fetch("/v1/invoiceitems", ("customer", sub["customer"]!["id"]!.GetValue<string>()));
        await stripe.Create($"/v1/subscriptions/{sub.Id()}", ("items[0][id]", itemId), ("items[0][quantity]", "3"),
            ("proration_behavior", "always_invoice"));
        await stripe.Fetch("/v1/invoices", ("subscription", sub.Id()));
        await stripe.Create($"/v1/subscriptions/{sub.Id()}", ("cancel_at_period_end", "true"));
        await stripe.Delete($"/v1/subscriptions/{sub.Id()}");

        var account = await stripe.Create("/v1/accounts", ("type", "express"), ("capabilities[transfers][requested]", "true"));
        await stripe.Create("/v1/account_links", ("account", account.Id()), ("type", "account_onboarding"),
            ("refresh_url", "https://x.example/r"), ("return_url", "https://x.example/d"));
        await stripe.Create($"/v1/test_helpers/accounts/{account.Id()}/onboard");
        var transfer = await stripe.Create("/v1/transfers", ("amount", "100"), ("currency", "usd"), ("destination", account.Id()));
        await stripe.Create($"/v1/transfers/{transfer.Id()}/reversals", ("amount", "40"));
        await stripe.Fetch($"/v1/transfers/{transfer.Id()}");
        await stripe.Send(HttpMethod.Get, "/v1/events", [], account: account.Id());

        var oneTime = await Fixtures.OneTimePrice(stripe, 4000);
        var pay = await stripe.Create("/v1/checkout/sessions", ("line_items[0][price]", oneTime), ("line_items[0][quantity]", "1"),
            ("payment_intent_data[transfer_data][destination]", account.Id()), ("payment_intent_data[application_fee_amount]", "400"));
        await stripe.Post($"/v1/test_helpers/checkout/sessions/{pay.Id()}/complete", ("card", "4000000000000002"));
        var paid = await stripe.Create($"/v1/test_helpers/checkout/sessions/{pay.Id()}/complete", ("card", "4242424242424242"));
        var pi = await stripe.Fetch($"/v1/payment_intents/{paid["payment_intent"]!.GetValue<string>()}", ("expand[]", "latest_charge"), ("expand[]", "payment_method"));
        await stripe.Create("/v1/refunds", ("payment_intent", pi.Id()), ("amount", "1000"));
        var held = await stripe.Create("/v1/checkout/sessions", ("line_items[0][price]", oneTime), ("line_items[0][quantity]", "1"),
            ("payment_intent_data[capture_method]", "manual"));
        var heldDone = await stripe.Create($"/v1/test_helpers/checkout/sessions/{held.Id()}/complete", ("card", "4242424242424242"));
        await stripe.Create($"/v1/payment_intents/{heldDone["payment_intent"]!.GetValue<string>()}/capture");
        var expiring = await stripe.Create("/v1/checkout/sessions", ("line_items[0][price]", oneTime), ("line_items[0][quantity]", "1"));
        await stripe.Create($"/v1/checkout/sessions/{expiring.Id()}/expire");

        var clock = await stripe.Create("/v1/test_helpers/test_clocks", ("frozen_time", DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString()));
        var clocked = await stripe.Create("/v1/customers", ("email", "c@example.com"), ("test_clock", clock.Id()), ("address[city]", "Paris"));
        var trial = await Fixtures.Subscribe(stripe, monthly, card: "4000000000000341", customer: clocked.Id(), trialDays: 3);
        await Fixtures.Advance(stripe, clock.Id(), DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 5 * 86400);
        await stripe.Fetch($"/v1/subscriptions/{trial["subscription"]!.GetValue<string>()}");
        await stripe.Fetch("/v1/payment_intents", ("customer", clocked.Id()));

        await stripe.Create("/v1/webhook_endpoints", ("url", "https://hooks.example/x"), ("enabled_events[]", "*"));
        await stripe.Fetch("/v1/webhook_endpoints");
        await stripe.Create("/v1/billing/meter_events", ("event_name", "api_calls"), ("payload[stripe_customer_id]", clocked.Id()), ("payload[value]", "3"));
        var gone = await stripe.Create("/v1/customers", ("email", "gone@example.com"));
        await stripe.Delete($"/v1/customers/{gone.Id()}");
        var lonely = await stripe.Create("/v1/products", ("name", "Lonely"));
        await stripe.Delete($"/v1/products/{lonely.Id()}");
        await stripe.Get("/v1/customers/cus_missing");
        // Page through every event so each one's data.object is checked too.
        var page = await stripe.Fetch("/v1/events", ("limit", "100"));
        while (page["has_more"]!.GetValue<bool>())
            page = await stripe.Fetch("/v1/events", ("limit", "100"), ("starting_after", page["data"]!.AsArray()[^1]!["id"]!.GetValue<string>()));
    }
}
