using Billing.Stripe.Tests.Sandbox.Support;
using Xunit;

namespace Billing.Stripe.Tests.Sandbox;

public sealed class EventsAndUsageTests
{
    [Fact]
    public async Task Events_filter_by_type_wildcard_group_and_types_list()
    {
        await using var host = await SandboxHost.StartAsync();
        var stripe = host.Stripe;
        var customer = await stripe.Create("/v1/customers", ("email", "events@example.com"));
        await stripe.Create($"/v1/customers/{customer.Id()}", ("name", "Jenny"));
        await stripe.Create("/v1/products", ("name", "Filtered"));

        var exact = await stripe.Fetch("/v1/events", ("type", "customer.updated"));
        var updated = Assert.Single(exact["data"]!.AsArray())!;
        Assert.Null(updated["data"]!["previous_attributes"]!["name"]);
        Assert.Equal("Jenny", updated["data"]!["object"]!["name"].Str());

        var group = await stripe.Fetch("/v1/events", ("type", "customer.*"));
        Assert.Equal(["customer.updated", "customer.created"], group["data"]!.AsArray().Select(e => e!["type"].Str()));

        var list = await stripe.Fetch("/v1/events", ("types[]", "product.created"), ("types[]", "customer.created"));
        Assert.Equal(["product.created", "customer.created"], list["data"]!.AsArray().Select(e => e!["type"].Str()));

        var both = await stripe.Get("/v1/events", ("type", "customer.created"), ("types[]", "product.created"));
        Assert.Equal(400, both.Status);

        var one = await stripe.Fetch($"/v1/events/{updated["id"].Str()}");
        Assert.Equal("event", one["object"].Str());
        Assert.Equal(Billing.StripeSandbox.SandboxConstants.ApiVersion, one["api_version"].Str());
    }

    [Fact]
    public async Task Events_list_in_creation_order_whatever_their_created_and_ending_before_pages_to_newer_ones()
    {
        // The reconciler's cursor relies on this: test clocks date events days away from the wall clock,
        // yet the list keeps Stripe's creation order, and ending_before walks it forward.
        await using var host = await SandboxHost.StartAsync();
        var stripe = host.Stripe;
        var now = DateTimeOffset.UtcNow;
        var first = await stripe.Create("/v1/products", ("name", "Wall clock"));
        var ahead = await stripe.Create("/v1/test_helpers/test_clocks", ("frozen_time", now.AddDays(30).ToUnixTimeSeconds().ToString()));
        var behind = await stripe.Create("/v1/test_helpers/test_clocks", ("frozen_time", now.AddDays(-10).ToUnixTimeSeconds().ToString()));
        var future = await stripe.Create("/v1/customers", ("test_clock", ahead.Id()));
        var past = await stripe.Create("/v1/customers", ("test_clock", behind.Id()));
        var last = await stripe.Create("/v1/products", ("name", "Wall clock again"));

        var listed = (await stripe.Fetch("/v1/events", ("limit", "100")))["data"]!.AsArray();
        Assert.Equal([last.Id(), past.Id(), future.Id(), first.Id()], listed.Select(e => e!["data"]!["object"]!["id"].Str()));
        Assert.True(listed[1]!["created"].Long() < now.AddDays(-9).ToUnixTimeSeconds());
        Assert.True(listed[2]!["created"].Long() > now.AddDays(29).ToUnixTimeSeconds());

        var oldest = listed[3]!["id"].Str();
        var next = await stripe.Fetch("/v1/events", ("ending_before", oldest), ("limit", "2"));
        Assert.Equal([past.Id(), future.Id()], next["data"]!.AsArray().Select(e => e!["data"]!["object"]!["id"].Str()));
        Assert.True(next["has_more"]!.GetValue<bool>());
        var newest = await stripe.Fetch("/v1/events", ("ending_before", next["data"]![0]!["id"].Str()), ("limit", "2"));
        Assert.Equal([last.Id()], newest["data"]!.AsArray().Select(e => e!["data"]!["object"]!["id"].Str()));
        Assert.False(newest["has_more"]!.GetValue<bool>());

        var gone = await stripe.Get("/v1/events", ("ending_before", "evt_never_existed"));
        Assert.Equal(404, gone.Status);
        Assert.Equal("resource_missing", gone.Body["error"]!["code"].Str());
    }

    [Fact]
    public async Task Lists_expand_ids_inside_data()
    {
        await using var host = await SandboxHost.StartAsync();
        var (_, monthly, _) = await Fixtures.Plan(host.Stripe);
        await Fixtures.Subscribe(host.Stripe, monthly);
        var subs = await host.Stripe.Fetch("/v1/subscriptions", ("expand[]", "data.customer"));
        Assert.Equal("buyer@example.com", subs["data"]![0]!["customer"]!["email"].Str());
        var bad = await host.Stripe.Get("/v1/subscriptions", ("expand[]", "data.nothing"));
        Assert.Equal(400, bad.Status);
    }

    [Fact]
    public async Task Meter_events_are_validated_and_deduplicated_by_identifier()
    {
        await using var host = await SandboxHost.StartAsync();
        var customer = await host.Stripe.Create("/v1/customers", ("email", "usage@example.com"));
        var evt = await host.Stripe.Create("/v1/billing/meter_events", ("event_name", "api_requests"),
            ("payload[stripe_customer_id]", customer.Id()), ("payload[value]", "25"), ("identifier", "usage-1"));
        Assert.Equal("billing.meter_event", evt["object"].Str());
        Assert.Equal("25", evt["payload"]!["value"].Str());
        Assert.Equal("usage-1", evt["identifier"].Str());

        var again = await host.Stripe.Post("/v1/billing/meter_events", ("event_name", "api_requests"),
            ("payload[stripe_customer_id]", customer.Id()), ("payload[value]", "25"), ("identifier", "usage-1"));
        Assert.Equal(400, again.Status);
        var noValue = await host.Stripe.Post("/v1/billing/meter_events", ("event_name", "api_requests"),
            ("payload[stripe_customer_id]", customer.Id()));
        Assert.Equal("payload[value]", noValue.Body["error"]!["param"].Str());
        var unknownCustomer = await host.Stripe.Post("/v1/billing/meter_events", ("event_name", "api_requests"),
            ("payload[stripe_customer_id]", "cus_nobody"), ("payload[value]", "1"));
        Assert.Equal(404, unknownCustomer.Status);
    }

    [Fact]
    public async Task A_known_path_with_the_wrong_method_is_a_Stripe_404()
    {
        await using var host = await SandboxHost.StartAsync();
        var reply = await host.Stripe.Delete("/v1/prices/price_x");
        Assert.Equal(404, reply.Status);
        Assert.Equal("invalid_request_error", reply.Body["error"]!["type"].Str());
        Assert.StartsWith("req_", reply.Header("Request-Id"));
    }

    [Fact]
    public async Task Trial_will_end_is_sent_three_days_before_the_trial_ends()
    {
        await using var host = await SandboxHost.StartAsync();
        var stripe = host.Stripe;
        var start = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var clock = await stripe.Create("/v1/test_helpers/test_clocks", ("frozen_time", start.ToString()));
        var customer = await stripe.Create("/v1/customers", ("email", "t@example.com"), ("test_clock", clock.Id()));
        var (_, monthly, _) = await Fixtures.Plan(stripe);
        var done = await Fixtures.Subscribe(stripe, monthly, customer: customer.Id(), trialDays: 10);

        await Fixtures.Advance(stripe, clock.Id(), start + 6 * 86400);
        Assert.DoesNotContain(await stripe.EventsFor(done["subscription"].Str()), e => e["type"].Str() == "customer.subscription.trial_will_end");
        await Fixtures.Advance(stripe, clock.Id(), start + 7 * 86400 + 60);
        var warning = Assert.Single(await stripe.EventsFor(done["subscription"].Str()), e => e["type"].Str() == "customer.subscription.trial_will_end");
        Assert.Equal(start + 7 * 86400, warning["created"].Long());
    }
}
