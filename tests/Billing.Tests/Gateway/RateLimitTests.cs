using System.Net.Http.Json;
using Billing.Tests.Infrastructure;
using Billing.Tests.Tenancy;

namespace Billing.Tests.Gateway;

/// <summary>Two gateway replicas sharing the fixture's Redis, with a small limit per key and an hour-long window (a test never straddles two).</summary>
[Collection(InfrastructureCollection.Name)]
public sealed class RateLimitTests(InfrastructureFixture infrastructure) : IAsyncLifetime
{
    private const int Limit = 6;
    private EchoBackends _backends = null!;
    private TestGateway _first = null!;
    private TestGateway _second = null!;

    public async Task InitializeAsync()
    {
        _backends = await EchoBackends.StartAsync();
        var settings = new Dictionary<string, string?> { ["Gateway:RateLimit:Limit"] = $"{Limit}", ["Gateway:RateLimit:Window"] = "01:00:00" };
        _first = await TestGateway.StartAsync(infrastructure, _backends.Destinations(), settings);
        _second = await TestGateway.StartAsync(infrastructure, _backends.Destinations(), settings);
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
        await _backends.DisposeAsync();
    }

    [Fact]
    public async Task The_limit_counts_a_keys_calls_on_both_replicas_together_and_429_says_when_to_retry()
    {
        var tenant = await TestTenant.CreateAsync(_first);
        using var one = tenant.KeyClient(_first);
        using var two = tenant.KeyClient(_second);
        var plans = $"/v1/{tenant.AppId}/billing/plans";

        var statuses = new List<int>();
        for (var i = 0; i < Limit; i++) statuses.Add((int)(await (i % 2 == 0 ? one : two).GetAsync(plans)).StatusCode);
        using var over = await two.GetAsync(plans);
        using var overOnOther = await one.GetAsync(plans);

        Assert.All(statuses, status => Assert.Equal(200, status));
        await ProblemAssert.IsProblem(over, 429, "rate_limited");
        await ProblemAssert.IsProblem(overOnOther, 429, "rate_limited");
        var retryAfter = int.Parse(over.Headers.GetValues("Retry-After").Single());
        Assert.InRange(retryAfter, 1, 3600);
    }

    [Fact]
    public async Task Each_key_has_its_own_count()
    {
        var tenant = await TestTenant.CreateAsync(_first);
        var otherKey = await tenant.CreateKeyAsync(_first);
        using var busy = tenant.KeyClient(_first);
        using var quiet = _second.ClientWith(otherKey.GetProperty("secret").GetString()!);
        var plans = $"/v1/{tenant.AppId}/billing/plans";

        for (var i = 0; i <= Limit; i++) (await busy.GetAsync(plans)).Dispose();

        Assert.Equal(429, (int)(await busy.GetAsync(plans)).StatusCode);
        Assert.Equal(200, (int)(await quiet.GetAsync(plans)).StatusCode);
    }

    [Fact]
    public async Task An_apps_own_limit_set_by_its_account_replaces_the_default()
    {
        var tenant = await TestTenant.CreateAsync(_first);
        using var account = tenant.AccountClient(_first);
        using var set = await account.PutAsJsonAsync($"/v1/apps/{tenant.AppId}/rate-limit", new { limit = 2 });
        Assert.Equal(200, (int)set.StatusCode);
        // A fresh key: its credential is read after the change.
        var key = await tenant.CreateKeyAsync(_first);
        using var client = _second.ClientWith(key.GetProperty("secret").GetString()!);
        var plans = $"/v1/{tenant.AppId}/billing/plans";

        Assert.Equal(200, (int)(await client.GetAsync(plans)).StatusCode);
        Assert.Equal(200, (int)(await client.GetAsync(plans)).StatusCode);
        await ProblemAssert.IsProblem(await client.GetAsync(plans), 429, "rate_limited");
    }
}
