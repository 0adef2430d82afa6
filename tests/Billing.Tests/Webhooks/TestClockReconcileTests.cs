using System.Text.Json;
using Billing.Hosting;
using Billing.Tests.Infrastructure;

namespace Billing.Tests.Webhooks;

/// <summary>
/// Events about test-clock objects carry the clock's time in <c>created</c>, days away from the
/// wall clock's. Whatever the <c>created</c> of the events around it, every lost delivery heals.
/// </summary>
[Collection(InfrastructureCollection.Name)]
public sealed class TestClockReconcileTests(InfrastructureFixture infrastructure)
{
    private const int Checkouts = 100;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Dropped_deliveries_heal_after_an_event_dated_30_days_ahead_by_a_test_clock()
    {
        await using var run = await ReconcilingRun.StartAsync(infrastructure);
        var started = DateTimeOffset.UtcNow.AddSeconds(-1);

        var ahead = await run.Sandbox.PostAsync("/v1/test_helpers/test_clocks", ("frozen_time", DateTimeOffset.UtcNow.AddDays(30).ToUnixTimeSeconds().ToString()));
        var customer = await run.Sandbox.PostAsync("/v1/customers", ("test_clock", ahead.GetProperty("id").GetString()!), ("email", "ahead@example.com"));
        var future = Assert.Single(await run.EventsAsync(), e => Subject(e) == customer.GetProperty("id").GetString());
        Assert.True(Created(future) > DateTimeOffset.UtcNow.AddDays(29), "the customer's event carries its clock's time");
        await run.WaitStoredAsync([Id(future)], TimeSpan.FromSeconds(20));
        await run.LetReconcilerPassAsync();

        await run.Sandbox.ChaosAsync(("drop_percent", "30"));
        var price = await run.Sandbox.CreateMonthlyPriceAsync();
        var app = TestApps.NewAppId();
        for (var i = 0; i < Checkouts; i++) await run.Sandbox.CompleteSubscriptionCheckoutAsync(app, price);
        await run.Sandbox.ChaosAsync(("reset", "true"));

        var ids = (await run.EventsAsync()).Where(e => Created(e) >= started).Select(Id).ToList();
        Assert.True(ids.Count > Checkouts * 4, $"expected the checkouts' events, saw {ids.Count}");
        await run.WaitStoredAsync(ids, Deadline);

        Assert.Equal(ids.Count, await run.CountStoredAsync(ids));
        Assert.True(await run.CountStoredAsync(ids, source: "Reconciler") > 0,
            "with 30 % of deliveries dropped, some events can only have come from the reconciler");
    }

    [Fact]
    public async Task Dropped_deliveries_about_a_test_clock_10_days_back_heal()
    {
        await using var run = await ReconcilingRun.StartAsync(infrastructure);
        var before = await run.Sandbox.PostAsync("/v1/products", ("name", "Before the clock"));
        await run.WaitStoredAsync([Id(Assert.Single(await run.EventsAsync(), e => Subject(e) == before.GetProperty("id").GetString()))], TimeSpan.FromSeconds(20));
        await run.LetReconcilerPassAsync();

        var behind = await run.Sandbox.PostAsync("/v1/test_helpers/test_clocks", ("frozen_time", DateTimeOffset.UtcNow.AddDays(-10).ToUnixTimeSeconds().ToString()));
        await run.Sandbox.ChaosAsync(("drop_percent", "100"));
        var customer = (await run.Sandbox.PostAsync("/v1/customers", ("test_clock", behind.GetProperty("id").GetString()!), ("email", "behind@example.com")))
            .GetProperty("id").GetString()!;
        var price = await run.Sandbox.CreateMonthlyPriceAsync();
        var session = await run.Sandbox.PostAsync("/v1/checkout/sessions",
            ("mode", "subscription"), ("customer", customer), ("line_items[0][price]", price), ("line_items[0][quantity]", "1"),
            ("success_url", "https://app.example/done"), ("metadata[app_id]", TestApps.NewAppId()));
        await run.Sandbox.PostAsync($"/v1/test_helpers/checkout/sessions/{session.GetProperty("id").GetString()}/complete", ("card", "4242424242424242"));
        var clockDated = (await run.EventsAsync()).Where(e => Created(e) < DateTimeOffset.UtcNow.AddDays(-9)).Select(Id).ToList();
        Assert.True(clockDated.Count >= 5, $"expected the clock's customer, checkout, subscription and invoice events, saw {clockDated.Count}");
        // Every one of them dropped before deliveries resume: only the reconciler can bring them.
        await run.Sandbox.WaitAttemptedAsync(clockDated, TimeSpan.FromSeconds(30));
        await run.Sandbox.ChaosAsync(("reset", "true"));
        // Wall-clock events after them, as on any busy account.
        await run.Sandbox.PostAsync("/v1/products", ("name", "After the clock"));

        await run.WaitStoredAsync(clockDated, TimeSpan.FromSeconds(30));

        Assert.Equal(clockDated.Count, await run.CountStoredAsync(clockDated, source: "Reconciler"));
    }

    private static string Id(JsonElement e) => e.GetProperty("id").GetString()!;
    private static string? Subject(JsonElement e) => e.GetProperty("data").GetProperty("object").GetProperty("id").GetString();
    private static DateTimeOffset Created(JsonElement e) => DateTimeOffset.FromUnixTimeSeconds(e.GetProperty("created").GetInt64());

    /// <summary>
    /// The Webhooks service reconciling every second from a fresh bookmark, and a sandbox that
    /// delivers each event once (a dropped delivery is lost for good unless the reconciler heals it).
    /// </summary>
    private sealed class ReconcilingRun : IAsyncDisposable
    {
        private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
        private readonly string _database;
        private readonly TestService _webhooks;

        private ReconcilingRun(string database, TestService webhooks, SandboxServer sandbox)
        {
            _database = database;
            _webhooks = webhooks;
            Sandbox = sandbox;
        }

        public SandboxServer Sandbox { get; }

        public static async Task<ReconcilingRun> StartAsync(InfrastructureFixture infrastructure)
        {
            var database = infrastructure.Database("webhooks");
            await WebhookRows.ResetReconcilerAsync(database);
            var sandboxUrl = $"http://127.0.0.1:{FreePort.Next()}";
            var settings = WebhooksTestHost.Settings(sandboxUrl, reconcileInterval: Interval);
            // Short, so the bookmark moves many times during the test instead of staying where it started.
            settings["Webhooks:ReconcileOverlap"] = "00:00:02";
            var webhooks = await WebhooksTestHost.StartAsync(infrastructure, settings);
            var sandbox = await SandboxServer.StartAsync(webhooks.Address.ToString().TrimEnd('/') + "/webhooks/stripe", url: sandboxUrl,
                settings: new Dictionary<string, string?> { ["Sandbox:Delivery:MaxAttempts"] = "1" });
            return new ReconcilingRun(database, webhooks, sandbox);
        }

        /// <summary>Every platform event the sandbox holds, newest first, whatever its <c>created</c>.</summary>
        public async Task<List<JsonElement>> EventsAsync()
        {
            var all = new List<JsonElement>();
            string? after = null;
            while (true)
            {
                var page = await Sandbox.GetAsync("/v1/events?limit=100" + (after is null ? "" : $"&starting_after={after}"));
                var data = page.GetProperty("data").EnumerateArray().ToList();
                all.AddRange(data);
                if (!page.GetProperty("has_more").GetBoolean() || data.Count == 0) return all;
                after = Id(data[^1]);
            }
        }

        /// <summary>Time for a few passes, so the reconciler has listed (and bookmarked) what exists now.</summary>
        public Task LetReconcilerPassAsync() => Task.Delay(Interval * 3);

        public async Task WaitStoredAsync(List<string> ids, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (await CountStoredAsync(ids) < ids.Count && DateTime.UtcNow < deadline) await Task.Delay(250);
        }

        public Task<long> CountStoredAsync(List<string> ids, string? source = null) =>
            WebhookRows.CountAsync(_database,
                "select count(*) from webhooks.received_events where stripe_event_id = any(@ids) and (@source::text is null or source = @source::text)",
                ("ids", ids.ToArray()), ("source", (object?)source ?? DBNull.Value));

        public async ValueTask DisposeAsync()
        {
            await Sandbox.DisposeAsync();
            await _webhooks.DisposeAsync();
        }
    }
}
