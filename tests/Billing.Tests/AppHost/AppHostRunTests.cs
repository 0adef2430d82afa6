using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Billing.AppHost.Programs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Billing.Tests.AppHost;

/// <summary>
/// The whole system as <c>./run.sh</c> starts it, through Aspire.Hosting.Testing: one AppHost run,
/// in steps, ending with its disposal and a search for anything left behind, then a second run
/// over the same data.
/// </summary>
[TestCaseOrderer(StepOrderer.TypeName, StepOrderer.AssemblyName)]
public sealed class AppHostRunTests(AppHostFixture fixture) : IClassFixture<AppHostFixture>
{
    private static readonly string[] Services = ["catalog", "subscriptions", "orders", "connect", "usage", "webhooks"];
    private static readonly string[] Schemas = ["gateway", .. Services];

    private DistributedApplication App => fixture.App;

    [Fact, Step(1)]
    public void Start_up_runs_every_resource_in_order_and_the_ones_that_run_once_finish()
    {
        var model = App.Services.GetRequiredService<DistributedApplicationModel>();
        var names = model.Resources.Select(r => r.Name).ToHashSet();

        string[] expected =
        [
            "postgres-initdb", "postgres", "rabbitmq-epmd", "rabbitmq", "redis", "provisioning", "stripe", "gateway",
            .. Services, .. Schemas.Select(s => $"{s}-migration"),
        ];
        Assert.Superset(expected.ToHashSet(), names);
        foreach (var name in expected.Where(n => n is "postgres-initdb" or "provisioning" || n.EndsWith("-migration")))
        {
            var snapshot = Snapshot(name);
            Assert.True(snapshot.ExitCode == 0, $"{name}: {snapshot.State?.Text} exit code {snapshot.ExitCode}");
        }
        foreach (var resource in model.Resources.Where(AppHostFixture.HasHealthCheck))
            Assert.Equal((KnownResourceStates.Running, HealthStatus.Healthy), (Snapshot(resource.Name).State?.Text, Snapshot(resource.Name).HealthStatus));
        var secrets = Path.Combine(fixture.DataDirectory, "secrets.json");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(secrets));
        Assert.True(fixture.StartupSeconds > 0);
    }

    [Fact, Step(1)]
    public void Every_dotnet_program_it_starts_gets_the_runtime_settings_and_the_servers_do_not()
    {
        // ProgramRuntimeSettings: a delayed tier-up (a start is CPU-bound) and a bounded OTLP export timeout (stops were slow).
        string[] programs = ["stripe", "gateway", .. Services, .. Schemas.Select(s => $"{s}-migration")];
        foreach (var name in programs)
        foreach (var (variable, value) in ProgramRuntimeSettings.Variables)
            Assert.Contains(Snapshot(name).EnvironmentVariables, v => v.Name == variable && v.Value == value);
        foreach (var name in new[] { "postgres", "rabbitmq", "redis" })
            Assert.DoesNotContain(Snapshot(name).EnvironmentVariables, v => ProgramRuntimeSettings.Variables.ContainsKey(v.Name));
    }

    [Fact, Step(2)]
    public async Task A_developer_signs_up_makes_an_app_and_a_key_and_sells_a_plan_through_the_gateway()
    {
        using var http = App.CreateHttpClient("gateway", "http");
        var operatorKey = AppHostIdentity.Secret(fixture.DataDirectory, "operator-key");

        var account = await PostAsync(http, operatorKey, "/v1/accounts", new { email = "dev@example.com", name = "Dev" });
        var token = account.GetProperty("token").GetString()!;
        var app = await PostAsync(http, token, "/v1/apps", new { name = "Shop", redirectOrigins = new[] { "https://shop.example.com" } });
        var appId = app.GetProperty("id").GetString()!;
        var key = await PostAsync(http, token, $"/v1/apps/{appId}/keys", new { type = "secret", mode = "test", name = "server" });
        var secret = key.GetProperty("secret").GetString()!;

        var plan = await PostAsync(http, secret, $"/v1/{appId}/billing/plans", new { name = "Pro", priceCents = 2900, interval = "month" });
        var plans = await GetAsync(http, secret, $"/v1/{appId}/billing/plans");

        Assert.StartsWith("bk_test_", secret);
        Assert.Equal(plan.GetProperty("id").GetString(), plans.GetProperty("data")[0].GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync($"/v1/{appId}/billing/plans")).StatusCode);
        using var catalog = App.CreateHttpClient("catalog", "http");
        Assert.Equal(HttpStatusCode.Unauthorized, (await catalog.GetAsync($"/v1/{appId}/billing/plans")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);
        ReadmeFlow.Secret = secret;
        ReadmeFlow.AppId = appId;
    }

    [Fact, Step(3)]
    public async Task Every_service_sends_traces_metrics_and_logs_to_the_dashboard()
    {
        // Aspire points every program's OTLP exporter at the dashboard; its telemetry API says what arrived.
        using var dashboard = new HttpClient { BaseAddress = new Uri(fixture.DashboardUrl) };
        string[] programs = ["gateway", .. Services];
        List<string> missing = [];
        var deadline = DateTime.UtcNow.AddSeconds(60);
        do
        {
            var resources = await dashboard.GetFromJsonAsync<JsonElement>("/api/telemetry/resources");
            // A program's migration reports under the same service name: any of its instances counts.
            var received = resources.EnumerateArray().ToLookup(r => r.GetProperty("name").GetString()!);
            missing = [.. programs.SelectMany(p => new[] { "hasTraces", "hasMetrics", "hasLogs" }
                .Where(signal => !received[p].Any(r => r.GetProperty(signal).GetBoolean()))
                .Select(signal => $"{p}: {signal}"))];
            if (missing.Count == 0) break;
            await Task.Delay(500);
        } while (DateTime.UtcNow < deadline);

        Assert.True(missing.Count == 0, "not in the dashboard: " + string.Join(", ", missing));
    }

    [Fact, Step(4)]
    public async Task A_paid_checkout_s_webhook_is_one_trace_in_the_dashboard_from_the_gateway_to_its_consumers()
    {
        using var http = App.CreateHttpClient("gateway", "http");
        var (secret, appId) = (ReadmeFlow.Secret!, ReadmeFlow.AppId!);
        var planId = (await GetAsync(http, secret, $"/v1/{appId}/billing/plans")).GetProperty("data")[0].GetProperty("id").GetString();
        var session = await SubscribeOnceSyncedAsync(http, secret, appId, planId!);
        // Paying on the sandbox's page, without the browser: the sandbox then sends checkout.session.completed to the gateway.
        using var stripe = App.CreateHttpClient("stripe", "http");
        using var pay = new HttpRequestMessage(HttpMethod.Post, $"/v1/test_helpers/checkout/sessions/{session}/complete")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["card"] = "4242424242424242" }),
        };
        pay.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
            AppHostIdentity.Secret(fixture.DataDirectory, "stripe-secret-key"));
        Assert.Equal(HttpStatusCode.OK, (await stripe.SendAsync(pay)).StatusCode);

        // The dashboard's telemetry API: one trace holding the gateway's webhook request, the Webhooks service's
        // request and its publish of the normalized event, and a consumer of it in Subscriptions.
        using var dashboard = new HttpClient { BaseAddress = new Uri(fixture.DashboardUrl) };
        string? traceId = null;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (traceId is null && DateTime.UtcNow < deadline)
        {
            traceId = WebhookTraces(await dashboard.GetFromJsonAsync<JsonElement>("/api/telemetry/traces?limit=5000"))
                .Where(t => t.Value.Contains(("gateway", "POST /webhooks/stripe/{**rest}"))
                    && t.Value.Contains(("webhooks", "POST /webhooks/stripe"))
                    && t.Value.Contains(("webhooks", "Billing.Contracts.Stripe:CheckoutSessionCompleted send"))
                    && t.Value.Contains(("subscriptions", "subscriptions-checkout-session-completed process")))
                .Select(t => t.Key).FirstOrDefault();
            if (traceId is null) await Task.Delay(500);
        }
        Assert.True(traceId is not null, "no trace of the checkout.session.completed webhook from the gateway to Subscriptions' consumer");

        // The same trace as a person sees it in the dashboard.
        await using var browser = await DashboardBrowser.OpenAsync($"{fixture.DashboardUrl}/traces/detail/{traceId}");
        foreach (var text in new[] { "POST /webhooks/stripe", "send Billing.Contracts.Stripe:CheckoutSessionCompleted", "subscriptions-checkout-session-completed process" })
            await browser.Expect(browser.Page.GetByText(text).First).ToBeVisibleAsync();
    }

    // Subscribe as soon as Catalog has synced the plan (a 409 until then).
    private static async Task<string> SubscribeOnceSyncedAsync(HttpClient http, string secret, string appId, string planId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/{appId}/billing/subscribe")
            {
                Content = JsonContent.Create(new
                {
                    planId, customerExternalId = "trace-1", email = "trace@example.com",
                    successUrl = "https://shop.example.com/ok", cancelUrl = "https://shop.example.com/no",
                }),
            };
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", secret);
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            if (response.StatusCode == HttpStatusCode.Created) return body.GetProperty("sessionId").GetString()!;
            // 409: not sellable yet (Stripe sync, or Subscriptions has not heard of the plan); 503: Catalog could not be asked. Both say retry.
            Assert.True(response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.ServiceUnavailable && DateTime.UtcNow < deadline,
                $"subscribe: {response.StatusCode} {body}");
            await Task.Delay(500);
        }
    }

    // OTLP JSON from the dashboard: each trace id with the (service, span name) pairs it holds.
    private static Dictionary<string, HashSet<(string Service, string Span)>> WebhookTraces(JsonElement traces)
    {
        var byTrace = new Dictionary<string, HashSet<(string, string)>>();
        foreach (var resourceSpans in traces.GetProperty("data").GetProperty("resourceSpans").EnumerateArray())
        {
            var service = resourceSpans.GetProperty("resource").GetProperty("attributes").EnumerateArray()
                .Where(a => a.GetProperty("key").GetString() == "service.name")
                .Select(a => a.GetProperty("value").GetProperty("stringValue").GetString()).FirstOrDefault() ?? "";
            foreach (var span in resourceSpans.GetProperty("scopeSpans").EnumerateArray().SelectMany(s => s.GetProperty("spans").EnumerateArray()))
            {
                var id = span.GetProperty("traceId").GetString()!;
                if (!byTrace.TryGetValue(id, out var spans)) byTrace[id] = spans = [];
                spans.Add((service, span.GetProperty("name").GetString()!));
            }
        }
        return byTrace;
    }

    [Fact, Step(5)]
    public async Task The_dashboard_shows_every_resource_running_and_healthy_in_a_browser()
    {
        var model = App.Services.GetRequiredService<DistributedApplicationModel>();
        var longRunning = model.Resources.Where(AppHostFixture.HasHealthCheck).Select(r => r.Name).ToList();
        await using var browser = await DashboardBrowser.OpenAsync(fixture.DashboardUrl);

        // The dashboard is a Blazor Server app: a circuit that breaks while the page loads on a busy machine shows
        // "An unhandled error has occurred" and an empty table until reloaded, as a person would. Reload up to twice.
        for (var attempt = 1; ; attempt++)
        {
            var circuitBroke = browser.Page.GetByText("An unhandled error has occurred");
            var firstRow = ResourceRow(browser, longRunning[0]);
            await firstRow.Or(circuitBroke).First.WaitForAsync(new() { Timeout = 30_000 });
            if (!await circuitBroke.IsVisibleAsync() || attempt == 3) break;
            await browser.Page.ReloadAsync();
        }
        foreach (var name in longRunning)
        {
            var row = ResourceRow(browser, name);
            await browser.Expect(row).ToContainTextAsync("Running");
        }
        var rows = await browser.Page.GetByRole(Microsoft.Playwright.AriaRole.Row).AllInnerTextsAsync();
        foreach (var name in longRunning)
            Assert.Contains(rows, row => Cells(row).Contains(name) && row.Contains("Running") && !row.Contains("Unhealthy"));
        Assert.DoesNotContain(rows, row => row.Contains("Unhealthy") || row.Contains("Failed"));
    }

    [Fact, Step(6)]
    public async Task Disposing_the_app_stops_every_child_and_leaves_nothing_running()
    {
        var pids = App.Services.GetRequiredService<DistributedApplicationModel>().Resources
            .SelectMany(r => Snapshot(r.Name).Properties)
            .Where(p => p.Name.EndsWith(".pid", StringComparison.Ordinal) && p.Value is not null)
            .Select(p => Convert.ToInt32(p.Value, System.Globalization.CultureInfo.InvariantCulture))
            .ToList();
        Assert.NotEmpty(pids);

        await App.DisposeAsync();
        fixture.Disposed = true;

        var left = await LeftoverProcesses.WaitUntilNoneAsync(fixture.DataDirectory, pids, [], TimeSpan.FromSeconds(30));
        Assert.True(left.Count == 0, "left running:\n" + string.Join("\n", left));
    }

    [Fact, Step(7)]
    public async Task A_second_run_reuses_the_data_and_the_secrets()
    {
        var secrets = await File.ReadAllTextAsync(Path.Combine(fixture.DataDirectory, "secrets.json"));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var second = await AppHostFixture.StartAsync(fixture.DataDirectory);
        fixture.LaterRuns.Add(second);

        Console.WriteLine($"AppHost warm start (Aspire.Hosting.Testing): all healthy in {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal(secrets, await File.ReadAllTextAsync(Path.Combine(fixture.DataDirectory, "secrets.json")));
        // The first run's plan is still there: same Postgres data, same role passwords.
        using var http = second.CreateHttpClient("gateway", "http");
        var plans = await GetAsync(http, ReadmeFlow.Secret!, $"/v1/{ReadmeFlow.AppId}/billing/plans");
        Assert.Equal(1, plans.GetProperty("data").GetArrayLength());
    }

    private CustomResourceSnapshot Snapshot(string name) =>
        App.ResourceNotifications.TryGetCurrentState(name, out var resourceEvent) && resourceEvent is not null
            ? resourceEvent.Snapshot
            : throw new InvalidOperationException($"no state for {name}");

    // The row that starts with the resource's name: "gateway", not "gateway-migration" (nor "redis-password").
    private static Microsoft.Playwright.ILocator ResourceRow(DashboardBrowser browser, string name) =>
        browser.Page.GetByRole(Microsoft.Playwright.AriaRole.Row)
            .Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex($@"^\s*{System.Text.RegularExpressions.Regex.Escape(name)}(?!-)") }).First;

    private static string[] Cells(string row) => row.Split(['\t', '\n', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static async Task<JsonElement> PostAsync(HttpClient http, string bearer, string path, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        var response = await http.SendAsync(request);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST {path}: {response.StatusCode} {json}");
        return json;
    }

    private static async Task<JsonElement> GetAsync(HttpClient http, string bearer, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>What step 2 made, which the second run must still find.</summary>
    private static class ReadmeFlow
    {
        public static string? Secret { get; set; }
        public static string? AppId { get; set; }
    }
}
