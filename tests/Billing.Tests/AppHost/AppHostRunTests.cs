using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Billing.Hosting;
using Billing.Tests.Infrastructure;

namespace Billing.Tests.AppHost;

/// <summary>
/// The whole system as <c>./run.sh</c> starts it: one AppHost run, in steps, ending with SIGTERM
/// and a search for anything left behind, then a second run over the same data.
/// </summary>
[TestCaseOrderer(StepOrderer.TypeName, StepOrderer.AssemblyName)]
public sealed class AppHostRunTests(AppHostFixture fixture) : IClassFixture<AppHostFixture>
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(90);
    private AppHostProcess Host => fixture.Host;

    [Fact, Step(1)]
    public async Task Start_up_makes_every_resource_healthy_and_prints_where_things_are()
    {
        var resources = await Host.ResourcesAsync();

        Assert.Equal(["postgres", "rabbitmq", "redis"], resources.Take(3).Select(r => r.Name));
        Assert.Equal(["database", "broker", "cache"], resources.Take(3).Select(r => r.Kind));
        Assert.Contains(resources, r => r.Name == "catalog" && r.Kind == "service");
        Assert.All(resources, r => Assert.Equal("healthy", r.State));
        Assert.All(resources, r => Assert.NotEmpty(r.Pids));
        Assert.Contains(Host.Lines, l => l.Contains($"dashboard: {Host.DashboardUrl}"));
        Assert.Contains(Host.Lines, l => l.Contains($"secrets:   {Path.Combine(fixture.DataDirectory, "secrets.json")}"));
        Assert.Contains(Host.Lines, l => l.StartsWith("[catalog] migrate: "));
        Assert.True(fixture.StartupSeconds > 0);
    }

    [Fact, Step(2)]
    public async Task A_developer_signs_up_makes_an_app_and_a_key_and_sells_a_plan_through_the_gateway()
    {
        var gateway = $"http://127.0.0.1:{fixture.GatewayPort}";
        using var http = new HttpClient { BaseAddress = new Uri(gateway) };
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
        var catalog = (await Host.ResourceAsync("catalog")).Endpoints.Single().Url;
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync($"{catalog}/v1/{appId}/billing/plans")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);
    }

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

    [Fact, Step(3)]
    public async Task Every_service_exports_traces_metrics_and_logs_over_otlp_when_the_endpoint_is_set()
    {
        // The fixture started the AppHost with OTEL_EXPORTER_OTLP_ENDPOINT, as a user would; the
        // services inherit it. Their health checks and the previous step's calls give each one traffic.
        var services = (await Host.ResourcesAsync()).Where(r => r.Kind is "service" or "gateway").Select(r => r.Name).ToList();
        Assert.Contains("gateway", services);
        Assert.Contains("webhooks", services);
        string[] signals = ["traces", "metrics", "logs"];

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && !services.All(s => signals.All(signal => fixture.Telemetry.Received(signal, s))))
            await Task.Delay(250);

        var missing = services.SelectMany(s => signals.Where(signal => !fixture.Telemetry.Received(signal, s)).Select(signal => $"{s}: {signal}")).ToList();
        Assert.True(missing.Count == 0, "no OTLP export of " + string.Join(", ", missing));
    }

    [Fact, Step(4)]
    public async Task Dashboard_lists_every_resource_as_healthy_with_its_logs()
    {
        var names = (await Host.ResourcesAsync()).Select(r => r.Name).ToList();
        await using var browser = await DashboardBrowser.OpenAsync(Host.DashboardUrl);

        foreach (var name in names)
            await browser.Expect(browser.Page.Locator($"tr[data-resource='{name}'] .state")).ToHaveTextAsync("healthy");
        await browser.Expect(browser.Page.Locator("#summary")).ToContainTextAsync($"{names.Count} resources · all healthy");

        await browser.Page.Locator("tr[data-resource='catalog'] button.toggle-logs").ClickAsync();
        await browser.Expect(browser.Page.Locator("tr[data-resource='catalog'] + tr.logs pre")).ToContainTextAsync("migrate:");
    }

    [Fact, Step(5)]
    public async Task Dashboard_restart_action_restarts_the_service_and_it_becomes_healthy_again()
    {
        var before = await Host.ResourceAsync("catalog");
        await using var browser = await DashboardBrowser.OpenAsync(Host.DashboardUrl);
        var row = browser.Page.Locator("tr[data-resource='catalog']");
        await browser.Expect(row.Locator(".restarts")).ToHaveTextAsync(before.RestartCount.ToString());

        await row.Locator("button.restart").ClickAsync();

        var after = await Host.WaitForResourceAsync("catalog",
            r => r.State == "healthy" && r.RestartCount == before.RestartCount + 1 && !r.Pids.SequenceEqual(before.Pids),
            TimeSpan.FromSeconds(60));
        await browser.Expect(row.Locator(".restarts")).ToHaveTextAsync((before.RestartCount + 1).ToString());
        await browser.Expect(row.Locator(".pid")).ToHaveTextAsync(after.Pids.Single().ToString());
        await browser.Expect(row.Locator(".state")).ToHaveTextAsync("healthy");
        Assert.False(Directory.Exists($"/proc/{before.Pids[0]}"), "the old catalog process still runs");
        Assert.Contains(Host.Lines, l => l == "[catalog] restart requested");
    }

    [Fact, Step(6)]
    public async Task A_service_that_crashes_is_restarted_with_a_higher_restart_count()
    {
        var before = await Host.ResourceAsync("catalog");

        System.Diagnostics.Process.GetProcessById(before.Pids[0]).Kill();

        var after = await Host.WaitForResourceAsync("catalog",
            r => r.State == "healthy" && r.RestartCount == before.RestartCount + 1 && !r.Pids.SequenceEqual(before.Pids),
            TimeSpan.FromSeconds(60));
        Assert.Single(after.Pids);
        Assert.Contains(Host.Lines, l => l == "[catalog] exited with code 137");
        Assert.Contains(Host.Lines, l => l.StartsWith("[catalog] restarting in 1 s"));
        // The gateway sees the catalog back at its next health probe; the whole system recovers.
        await Host.WaitForResourceAsync("gateway", r => r.State == "healthy", TimeSpan.FromSeconds(30));
    }

    [Fact, Step(7)]
    public async Task A_second_apphost_on_the_same_data_folder_is_refused_and_the_first_keeps_running()
    {
        var before = await Host.ResourcesAsync();
        Assert.All(before, r => Assert.Equal("healthy", r.State));

        await using var second = AppHostProcess.Start(fixture.DataDirectory, FreePort.Next(), FreePort.Next());

        Assert.NotEqual(0, await second.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        var error = Assert.Single(second.Lines, l => l.StartsWith("stderr: "));
        Assert.Contains($"another AppHost (pid {Host.Pid}) runs on {fixture.DataDirectory}", error);
        var after = await Host.ResourcesAsync();
        Assert.All(after, r => Assert.Equal("healthy", r.State));
        Assert.Equal(before.Select(r => r.Pids), after.Select(r => r.Pids));
    }

    [Fact, Step(8)]
    public async Task External_mode_uses_the_given_servers_and_starts_none_of_its_own()
    {
        // The running system's servers stand in for someone else's; the same secrets keep the role passwords.
        var secrets = JsonSerializer.Deserialize<Dictionary<string, string>>(
            await File.ReadAllTextAsync(Path.Combine(fixture.DataDirectory, "secrets.json")))!;
        var servers = (await Host.ResourcesAsync()).Take(3).ToDictionary(r => r.Name, r => new Uri(r.Endpoints.Single().Url).Port);
        var data = TemporaryDataDirectory.Create();
        File.Copy(Path.Combine(fixture.DataDirectory, "secrets.json"), Path.Combine(data, "secrets.json"));
        try
        {
            var gatewayPort = FreePort.Next();
            await using var external = AppHostProcess.Start(data, gatewayPort, FreePort.Next(), ["--external"], new Dictionary<string, string>
            {
                ["ConnectionStrings__postgres"] = $"Host=127.0.0.1;Port={servers["postgres"]};Username=postgres;Password={secrets["postgres"]};Database=postgres",
                ["ConnectionStrings__rabbitmq"] = $"amqp://billing:{secrets["rabbitmq"]}@127.0.0.1:{servers["rabbitmq"]}/",
                ["ConnectionStrings__redis"] = $"127.0.0.1:{servers["redis"]},password={secrets["redis"]}",
            });
            await external.WaitForLineAsync("all healthy in", AppHostFixture.StartTimeout);

            var resources = await external.ResourcesAsync();
            Assert.All(resources.Take(3), r => Assert.Equal(("healthy", 0), (r.State, r.Pids.Length)));
            Assert.Equal(servers.Values, resources.Take(3).Select(r => new Uri(r.Endpoints.Single().Url).Port));
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{gatewayPort}") };
            var account = await PostAsync(http, AppHostIdentity.Secret(data, "operator-key"), "/v1/accounts", new { email = "ext@example.com", name = "External" });
            Assert.StartsWith("bat_", account.GetProperty("token").GetString());

            external.Signal(AppHostProcess.SigTerm);
            Assert.Equal(0, await external.WaitForExitAsync(StopTimeout));
            Assert.All(await Host.ResourcesAsync(), r => Assert.Equal("healthy", r.State));
        }
        finally
        {
            TemporaryDataDirectory.Delete(data);
        }
    }

    [Fact, Step(9)]
    public async Task Sigterm_stops_every_child_and_leaves_nothing_running()
    {
        var resources = await Host.ResourcesAsync();

        Host.Signal(AppHostProcess.SigTerm);

        Assert.Equal(0, await Host.WaitForExitAsync(StopTimeout));
        var left = await LeftoverProcesses.WaitUntilNoneAsync(fixture.DataDirectory, resources.SelectMany(r => r.Pids), Ports(resources), TimeSpan.FromSeconds(5));
        Assert.True(left.Count == 0, "left running:\n" + string.Join("\n", left));
        Assert.EndsWith("[apphost] stopped", Host.Lines.Last(l => !l.StartsWith("stderr:")));
        Assert.False(File.Exists(Path.Combine(fixture.DataDirectory, "apphost.pids")));
    }

    [Fact, Step(10)]
    public async Task A_second_run_reuses_the_data_and_the_secrets()
    {
        var secrets = await File.ReadAllTextAsync(Path.Combine(fixture.DataDirectory, "secrets.json"));

        var second = StartLaterRun();
        var line = await second.WaitForLineAsync("all healthy in", AppHostFixture.StartTimeout);

        Console.WriteLine($"AppHost warm start: {line}");
        Assert.Equal(secrets, await File.ReadAllTextAsync(Path.Combine(fixture.DataDirectory, "secrets.json")));
        // The migration history survived in the same Postgres data: nothing left to apply.
        Assert.Contains(second.Lines, l => l == "[catalog] migrate: 0 script(s) applied");
    }

    [Fact, Step(11)]
    public async Task A_run_after_a_hard_kill_first_stops_what_the_killed_run_left()
    {
        var killed = fixture.LaterRuns.Single();
        var orphans = (await killed.ResourcesAsync()).SelectMany(r => r.Pids).ToList();
        killed.Signal(AppHostProcess.SigKill);
        await killed.WaitForExitAsync(TimeSpan.FromSeconds(10));
        Assert.Contains(orphans, pid => Directory.Exists($"/proc/{pid}"));

        var next = StartLaterRun();
        await next.WaitForLineAsync("all healthy in", AppHostFixture.StartTimeout);

        Assert.Contains(next.Lines, l => l.Contains("stopped what an earlier run left running"));
        var current = (await next.ResourcesAsync()).SelectMany(r => r.Pids).ToHashSet();
        Assert.DoesNotContain(orphans.Where(pid => !current.Contains(pid)), pid => Directory.Exists($"/proc/{pid}"));
        next.Signal(AppHostProcess.SigTerm);
        Assert.Equal(0, await next.WaitForExitAsync(StopTimeout));
        var left = await LeftoverProcesses.WaitUntilNoneAsync(fixture.DataDirectory, [.. orphans, .. current], [], TimeSpan.FromSeconds(5));
        Assert.True(left.Count == 0, "left running:\n" + string.Join("\n", left));
    }

    private AppHostProcess StartLaterRun()
    {
        var run = AppHostProcess.Start(fixture.DataDirectory, fixture.GatewayPort, fixture.DashboardPort);
        fixture.LaterRuns.Add(run);
        return run;
    }

    private static IEnumerable<int> Ports(IEnumerable<ResourceInfo> resources) =>
        resources.SelectMany(r => r.Endpoints).Select(e => new Uri(e.Url).Port);
}
