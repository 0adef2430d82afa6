using System.Diagnostics;
using Billing.Tests.Infrastructure;
using Billing.Tests.Tenancy;

namespace Billing.Tests.Gateway;

[Collection(InfrastructureCollection.Name)]
public sealed class TimeoutTests(InfrastructureFixture infrastructure) : IAsyncLifetime
{
    private EchoBackends _backends = null!;
    private TestGateway _gateway = null!;
    private TestTenant _tenant = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _backends = await EchoBackends.StartAsync();
        _gateway = await TestGateway.StartAsync(infrastructure, _backends.Destinations(), new Dictionary<string, string?>
        {
            ["Gateway:ReadTimeout"] = "00:00:01",
            ["Gateway:WriteTimeout"] = "00:00:05",
        });
        _tenant = await TestTenant.CreateAsync(_gateway);
        _client = _tenant.KeyClient(_gateway);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _gateway.DisposeAsync();
        await _backends.DisposeAsync();
    }

    [Fact]
    public async Task A_read_slower_than_its_route_timeout_is_a_504_problem_as_soon_as_the_timeout_passes()
    {
        var clock = Stopwatch.StartNew();
        using var response = await _client.GetAsync($"/v1/{_tenant.AppId}/billing/plans?delayMs=10000");

        await ProblemAssert.IsProblem(response, 504, "unavailable");
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task A_write_has_its_own_longer_timeout()
    {
        using var response = await _client.PostAsync($"/v1/{_tenant.AppId}/billing/plans?delayMs=1500", null);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("catalog", (await EchoReply.ReadAsync(response)).Service);
    }
}
