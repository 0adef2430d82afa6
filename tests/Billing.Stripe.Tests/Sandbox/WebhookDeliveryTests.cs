using Xunit;
using System.Text;
using Billing.Stripe.Tests.Sandbox.Support;

namespace Billing.Stripe.Tests.Sandbox;

/// <summary>Each test runs its own sandbox configured with a real receiver, so deliveries never mix.</summary>
public sealed class WebhookDeliveryTests
{
    const string Secret = "whsec_test_platform_secret";
    const string ConnectSecret = "whsec_test_connect_secret";

    static async Task<(SandboxHost Host, WebhookReceiver Platform, WebhookReceiver Connect)> Start(params string[] extra)
    {
        var platform = await WebhookReceiver.StartAsync(Secret);
        var connect = await WebhookReceiver.StartAsync(ConnectSecret);
        var config = new List<string>
        {
            $"Sandbox:WebhookEndpoints:0:Url={platform.Url}", $"Sandbox:WebhookEndpoints:0:Secret={Secret}",
            $"Sandbox:WebhookEndpoints:1:Url={connect.Url}", $"Sandbox:WebhookEndpoints:1:Secret={ConnectSecret}",
            "Sandbox:WebhookEndpoints:1:Connect=true",
            "Sandbox:Delivery:InitialBackoff=00:00:00.100",
        };
        config.AddRange(extra);
        return (await SandboxHost.StartAsync([.. config]), platform, connect);
    }

    [Fact]
    public async Task Events_are_delivered_signed_with_the_endpoint_secret()
    {
        var (host, platform, connect) = await Start();
        await using var _ = host; await using var __ = platform; await using var ___ = connect;
        var customer = await host.Stripe.Create("/v1/customers", ("email", "hook@example.com"));

        var got = await platform.WaitFor(r => r.Any(x => x.Type == "customer.created"), "customer.created");
        var delivery = got.Single(x => x.Type == "customer.created");
        Assert.True(delivery.SignatureValid);
        Assert.Equal(customer.Id(), delivery.Event["data"]!["object"]!["id"].Str());
        Assert.Empty(connect.Requests);

        // The same body signed with another secret must not verify: the check is real.
        var (_, forged) = WebhookReceiver.Verify($"t={delivery.Timestamp},v1=00", Encoding.UTF8.GetBytes(delivery.Event.ToJsonString()), Secret);
        Assert.False(forged);

        var evt = await Fixtures.WaitUntil(async () =>
        {
            var e = await host.Stripe.Fetch($"/v1/events/{delivery.EventId}");
            return e["pending_webhooks"].Long() == 0 ? e : null;
        }, "pending_webhooks to reach 0");
        Assert.Equal(0, evt["pending_webhooks"].Long());
        var delivered = await host.Stripe.Fetch("/v1/events", ("delivery_success", "true"), ("type", "customer.created"));
        Assert.Contains(delivered["data"]!.AsArray(), e => e!["id"].Str() == delivery.EventId);
    }

    [Fact]
    public async Task Connected_account_events_go_only_to_connect_endpoints()
    {
        var (host, platform, connect) = await Start();
        await using var _ = host; await using var __ = platform; await using var ___ = connect;
        var account = await host.Stripe.Create("/v1/accounts", ("type", "express"));
        await host.Stripe.Create($"/v1/test_helpers/accounts/{account.Id()}/onboard");

        var got = await connect.WaitFor(r => r.Any(x => x.Type == "account.updated"), "account.updated");
        var update = got.Single(x => x.Type == "account.updated");
        Assert.True(update.SignatureValid);
        Assert.Equal(account.Id(), update.Account);
        await Task.Delay(200);
        Assert.DoesNotContain(platform.Requests, x => x.Type == "account.updated");
    }

    [Fact]
    public async Task A_failed_delivery_is_retried_until_it_succeeds()
    {
        var (host, platform, connect) = await Start();
        await using var _ = host; await using var __ = platform; await using var ___ = connect;
        platform.FailFirstAttempts = 2;
        var customer = await host.Stripe.Create("/v1/customers", ("email", "retry@example.com"));

        var got = await platform.WaitFor(r => r.Count(x => x.Type == "customer.created") >= 3, "three attempts");
        var attempts = got.Where(x => x.Type == "customer.created").ToList();
        Assert.Equal([500, 500, 200], attempts.Select(a => a.AnsweredWith));
        Assert.All(attempts, a => Assert.Equal(attempts[0].EventId, a.EventId));

        var log = await Fixtures.WaitUntil(async () =>
        {
            var l = await host.Stripe.Fetch("/v1/test_helpers/webhook_deliveries", ("event", attempts[0].EventId));
            return l["data"]!.AsArray().Count == 3 ? l : null;
        }, "three delivery records");
        var statuses = log["data"]!.AsArray().Select(d => d!["status"].Str()).Reverse().ToList();
        Assert.Equal(["failed_will_retry", "failed_will_retry", "succeeded"], statuses);
        Assert.Equal(customer.Id(), attempts[2].Event["data"]!["object"]!["id"].Str());
    }

    [Fact]
    public async Task Deliveries_stop_after_the_configured_attempts()
    {
        var (host, platform, connect) = await Start("Sandbox:Delivery:MaxAttempts=2");
        await using var _ = host; await using var __ = platform; await using var ___ = connect;
        platform.FailFirstAttempts = 100;
        await host.Stripe.Create("/v1/customers", ("email", "never@example.com"));
        await platform.WaitFor(r => r.Count(x => x.Type == "customer.created") >= 2, "two attempts");
        await Task.Delay(500);
        Assert.Equal(2, platform.Requests.Count(x => x.Type == "customer.created"));
        var failed = await host.Stripe.Fetch("/v1/events", ("delivery_success", "false"), ("type", "customer.created"));
        Assert.Single(failed["data"]!.AsArray());
    }

    [Fact]
    public async Task Chaos_duplicate_sends_every_event_twice()
    {
        var (host, platform, connect) = await Start("Sandbox:Chaos:Duplicate=true");
        await using var _ = host; await using var __ = platform; await using var ___ = connect;
        await host.Stripe.Create("/v1/customers", ("email", "twice@example.com"));
        var got = await platform.WaitFor(r => r.Count(x => x.Type == "customer.created") >= 2, "duplicate");
        var copies = got.Where(x => x.Type == "customer.created").ToList();
        Assert.Equal(copies[0].EventId, copies[1].EventId);
        Assert.All(copies, c => Assert.True(c.SignatureValid));
    }

    [Fact]
    public async Task Chaos_drop_set_through_the_helper_drops_deliveries_and_logs_them()
    {
        var (host, platform, connect) = await Start();
        await using var _ = host; await using var __ = platform; await using var ___ = connect;
        var chaos = await host.Stripe.Create("/v1/test_helpers/webhooks/chaos", ("drop_percent", "100"));
        Assert.Equal(100, chaos["drop_percent"].Long());
        var customer = await host.Stripe.Create("/v1/customers", ("email", "dropped@example.com"));
        var log = await Fixtures.WaitUntil(async () =>
        {
            var l = await host.Stripe.Fetch("/v1/test_helpers/webhook_deliveries", ("status", "dropped"));
            return l["data"]!.AsArray().Count > 0 ? l : null;
        }, "a dropped delivery");
        Assert.Equal("customer.created", log["data"]![0]!["event_type"].Str());
        await Task.Delay(300);
        Assert.Empty(platform.Requests);

        await host.Stripe.Create("/v1/test_helpers/webhooks/chaos", ("reset", "true"));
        await host.Stripe.Create($"/v1/customers/{customer.Id()}", ("name", "Back"));
        await platform.WaitFor(r => r.Any(x => x.Type == "customer.updated"), "delivery after reset");

        using var browser = new HttpClient();
        var page = "";
        for (var i = 0; i < 200 && !page.Contains("customer.updated"); i++)
        {
            page = await browser.GetStringAsync(host.BaseUrl + "/sandbox/webhooks");
            await Task.Delay(25);
        }
        Assert.Contains("customer.updated", page);
        Assert.Contains("dropped", page);
    }

    [Fact]
    public async Task Chaos_shuffle_still_delivers_every_event_once()
    {
        var (host, platform, connect) = await Start("Sandbox:Chaos:ShuffleWindow=5");
        await using var _ = host; await using var __ = platform; await using var ___ = connect;
        for (var i = 0; i < 6; i++) await host.Stripe.Create("/v1/customers", ("email", $"shuffle{i}@example.com"));
        var got = await platform.WaitFor(r => r.Count(x => x.Type == "customer.created") >= 6, "six events");
        Assert.Equal(6, got.Where(x => x.Type == "customer.created").Select(x => x.EventId).Distinct().Count());
    }

    [Fact]
    public async Task Endpoints_created_through_the_api_receive_only_their_enabled_events()
    {
        var receiver = await WebhookReceiver.StartAsync("placeholder");
        await using var _ = receiver;
        await using var host = await SandboxHost.StartAsync();
        var endpoint = await host.Stripe.Create("/v1/webhook_endpoints", ("url", receiver.Url), ("enabled_events[]", "product.created"));
        Assert.StartsWith("whsec_", endpoint["secret"].Str());
        receiver.Secret = endpoint["secret"].Str();
        Assert.False((await host.Stripe.Fetch($"/v1/webhook_endpoints/{endpoint.Id()}")).ContainsKey("secret"));

        await host.Stripe.Create("/v1/customers", ("email", "ignored@example.com"));
        var product = await host.Stripe.Create("/v1/products", ("name", "Hooked"));
        var got = await receiver.WaitFor(r => r.Any(x => x.Type == "product.created"), "product.created");
        Assert.All(got, r => Assert.Equal("product.created", r.Type));
        Assert.Equal(product.Id(), got[0].Event["data"]!["object"]!["id"].Str());
        Assert.True(got[0].SignatureValid);
    }

    [Fact]
    public async Task Checkout_on_a_connected_account_notifies_the_connect_endpoint_with_the_account()
    {
        var (host, platform, connect) = await Start();
        await using var _ = host; await using var __ = platform; await using var ___ = connect;
        var account = await host.Stripe.Create("/v1/accounts", ("type", "express"));
        var price = await host.Stripe.Send(HttpMethod.Post, "/v1/prices", [("product_data[name]", "Direct"), ("currency", "usd"), ("unit_amount", "900")],
            account: account.Id());
        var session = await host.Stripe.Send(HttpMethod.Post, "/v1/checkout/sessions",
            [("line_items[0][price]", price.Id), ("line_items[0][quantity]", "1"), ("payment_intent_data[application_fee_amount]", "90")],
            account: account.Id());
        Assert.Equal(200, session.Status);
        var done = await host.Stripe.Send(HttpMethod.Post, $"/v1/test_helpers/checkout/sessions/{session.Id}/complete",
            [("card", "4242424242424242")], account: account.Id());
        Assert.Equal("paid", done.Body["payment_status"].Str());

        var got = await connect.WaitFor(r => r.Any(x => x.Type == "checkout.session.completed"), "connect checkout event");
        var completed = got.Single(x => x.Type == "checkout.session.completed");
        Assert.Equal(account.Id(), completed.Account);
        Assert.True(completed.SignatureValid);
        await Task.Delay(200);
        Assert.DoesNotContain(platform.Requests, x => x.Type == "checkout.session.completed");
    }

    [Fact]
    public async Task Chaos_delay_holds_each_delivery()
    {
        var (host, platform, connect) = await Start("Sandbox:Chaos:DelayMs=400");
        await using var _ = host; await using var __ = platform; await using var ___ = connect;
        var sent = DateTimeOffset.UtcNow;
        await host.Stripe.Create("/v1/customers", ("email", "late@example.com"));
        await platform.WaitFor(r => r.Any(x => x.Type == "customer.created"), "delayed delivery");
        // Timers may fire a few milliseconds early; an undelayed delivery takes a few milliseconds, not hundreds.
        Assert.True(DateTimeOffset.UtcNow - sent >= TimeSpan.FromMilliseconds(380));
        // The receiver answers before the sandbox logs the attempt: wait for the log line.
        var log = await Fixtures.WaitUntil(async () =>
        {
            var l = await host.Stripe.Fetch("/v1/test_helpers/webhook_deliveries");
            return l["data"]!.AsArray().Any(d => d!["event_type"].Str() == "customer.created") ? l : null;
        }, "the delivery record");
        var record = log["data"]!.AsArray().Single(d => d!["event_type"].Str() == "customer.created")!;
        Assert.True(record["created_ms"].Long() - sent.ToUnixTimeMilliseconds() >= 380);
    }

    [Fact]
    public async Task An_unreachable_endpoint_is_retried_and_logged_as_failed()
    {
        // A port that was just free: nothing listens there, so every attempt is a network error.
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var host = await SandboxHost.StartAsync($"Sandbox:WebhookEndpoints:0:Url=http://127.0.0.1:{port}/hook",
            $"Sandbox:WebhookEndpoints:0:Secret={Secret}", "Sandbox:Delivery:InitialBackoff=00:00:00.050", "Sandbox:Delivery:MaxAttempts=3");
        await host.Stripe.Create("/v1/customers", ("email", "nobody-home@example.com"));

        var log = await Fixtures.WaitUntil(async () =>
        {
            var l = await host.Stripe.Fetch("/v1/test_helpers/webhook_deliveries", ("status", "failed"));
            return l["data"]!.AsArray().Count > 0 ? l : null;
        }, "the final failed attempt");
        var final = log["data"]![0]!;
        Assert.Equal(3, final["attempt"].Long());
        Assert.Null(final["http_status"]);
        Assert.False(string.IsNullOrEmpty(final["error"].Str()));
        var all = await host.Stripe.Fetch("/v1/test_helpers/webhook_deliveries");
        Assert.Equal(2, all["data"]!.AsArray().Count(d => d!["status"].Str() == "failed_will_retry"));
    }

    [Fact]
    public async Task Disabling_an_endpoint_stops_its_retries()
    {
        var receiver = await WebhookReceiver.StartAsync("placeholder");
        await using var _ = receiver;
        receiver.FailFirstAttempts = 100;
        await using var host = await SandboxHost.StartAsync("Sandbox:Delivery:InitialBackoff=00:00:01", "Sandbox:Delivery:MaxAttempts=10");
        var endpoint = await host.Stripe.Create("/v1/webhook_endpoints", ("url", receiver.Url), ("enabled_events[]", "*"));
        await host.Stripe.Create("/v1/customers", ("email", "stop@example.com"));
        await receiver.WaitFor(r => r.Count >= 1, "the first attempt");

        var disabled = await host.Stripe.Create($"/v1/webhook_endpoints/{endpoint.Id()}", ("disabled", "true"));
        Assert.Equal("disabled", disabled["status"].Str());
        var log = await Fixtures.WaitUntil(async () =>
        {
            var l = await host.Stripe.Fetch("/v1/test_helpers/webhook_deliveries", ("status", "failed"));
            return l["data"]!.AsArray().Count > 0 ? l : null;
        }, "the stopped retry");
        Assert.Equal("endpoint disabled or deleted", log["data"]![0]!["error"].Str());
        Assert.Single(receiver.Requests);
    }
}
