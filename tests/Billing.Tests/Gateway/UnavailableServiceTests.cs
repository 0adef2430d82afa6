using System.Text.Json;
using Billing.Hosting;
using Billing.Tests.Infrastructure;
using Billing.Tests.Tenancy;

namespace Billing.Tests.Gateway;

/// <summary>What callers and <c>/health</c> see when a service is down: real servers, one of them missing.</summary>
[Collection(InfrastructureCollection.Name)]
public sealed class UnavailableServiceTests(InfrastructureFixture infrastructure) : IAsyncLifetime
{
    // Nothing listens here: connections are refused, as when a service has crashed.
    private static readonly Uri Down = new($"http://127.0.0.1:{FreePort.Next()}/");

    private EchoBackends _backends = null!;

    public async Task InitializeAsync() => _backends = await EchoBackends.StartAsync();

    public async Task DisposeAsync() => await _backends.DisposeAsync();

    private Task<TestGateway> StartGatewayAsync(params (string Service, Uri[] Addresses)[] overrides) =>
        TestGateway.StartAsync(infrastructure, _backends.Destinations(overrides));

    [Fact]
    public async Task A_call_to_a_service_that_is_down_is_a_503_unavailable_problem_naming_the_service()
    {
        await using var gateway = await StartGatewayAsync(("connect", [Down]));

        var tenant = await TestTenant.CreateAsync(gateway);
        using var client = tenant.KeyClient(gateway);

        // Straight away (refused connection) and once the probes have marked it unhealthy (no destination left).
        using var first = await client.PostAsync($"/v1/{tenant.AppId}/creators", null);
        var problem = await ProblemAssert.IsProblem(first, 503, "unavailable");
        Assert.Contains("connect", problem.GetProperty("detail").GetString());

        await gateway.WaitForHealthAsync((_, body) => Status(body, "connect") == "Unhealthy");
        using var later = await client.GetAsync($"/v1/{tenant.AppId}/billing/connect/status");
        await ProblemAssert.IsProblem(later, 503, "unavailable");
    }

    [Fact]
    public async Task System_health_is_503_and_names_the_unhealthy_service_while_the_others_stay_healthy()
    {
        await using var gateway = await StartGatewayAsync(("connect", [Down]));

        string[] others = ["catalog", "subscriptions", "orders", "usage", "webhooks"];

        // Each service is probed on its own schedule: wait until every one has been.
        var (status, health) = await gateway.WaitForHealthAsync((_, body) =>
            Status(body, "connect") == "Unhealthy" && others.All(service => Status(body, service) == "Healthy"));

        Assert.Equal(503, status);
        Assert.Equal("Unhealthy", health.GetProperty("status").GetString());
        Assert.Equal("Unhealthy", Status(health, "connect"));
        Assert.Contains(Down + " unhealthy", Description(health, "connect"));
        Assert.All(others, service => Assert.Equal("Healthy", Status(health, service)));
        // The gateway process itself is fine.
        using var alive = await gateway.Client.GetAsync("/alive");
        Assert.Equal(200, (int)alive.StatusCode);
    }

    [Fact]
    public async Task A_service_that_is_down_is_unhealthy_from_its_very_first_probe()
    {
        await using var gateway = await StartGatewayAsync(("connect", [Down]));

        var (_, health) = await gateway.WaitForHealthAsync((_, body) => !Description(body, "connect").Contains("not checked yet"));

        Assert.Equal("Unhealthy", Status(health, "connect"));
    }

    [Fact]
    public async Task With_one_of_two_destinations_down_calls_go_to_the_live_one_and_health_is_degraded()
    {
        var catalog = _backends.Services["catalog"].Address;
        await using var gateway = await StartGatewayAsync(("catalog", [Down, catalog]));

        var (status, health) = await gateway.WaitForHealthAsync((status, body) => status == 200 && Status(body, "catalog") == "Degraded");
        Assert.Equal(200, status);
        Assert.Equal("Degraded", Status(health, "catalog"));
        var tenant = await TestTenant.CreateAsync(gateway);
        using var client = tenant.KeyClient(gateway);

        for (var i = 0; i < 10; i++)
        {
            using var response = await client.GetAsync($"/v1/{tenant.AppId}/billing/plans");
            Assert.Equal(200, (int)response.StatusCode);
            Assert.Equal("catalog", (await EchoReply.ReadAsync(response)).Service);
        }
    }

    [Fact]
    public async Task Calls_are_spread_over_every_destination_of_a_service()
    {
        await using var second = await EchoService.StartAsync("catalog-2");
        await using var gateway = await StartGatewayAsync(("catalog", [_backends.Services["catalog"].Address, second.Address]));

        var tenant = await TestTenant.CreateAsync(gateway);
        using var client = tenant.KeyClient(gateway);
        var seen = new HashSet<string>();
        for (var i = 0; i < 30; i++)
        {
            using var response = await client.GetAsync($"/v1/{tenant.AppId}/billing/plans");
            seen.Add((await EchoReply.ReadAsync(response)).Service);
        }

        Assert.Equal(["catalog", "catalog-2"], seen.Order());
    }

    private static string Description(JsonElement health, string check) =>
        health.GetProperty("checks").GetProperty(check).GetProperty("description").GetString() ?? "";

    private static string? Status(JsonElement health, string check) =>
        health.GetProperty("checks").TryGetProperty(check, out var entry) ? entry.GetProperty("status").GetString() : null;
}
