using System.Text.RegularExpressions;
using Billing.ServiceDefaults.Redis;
using Billing.Tests.Infrastructure;

namespace Billing.Tests.Redis;

/// <summary>Many callers at once over the one shared connection: every reply reaches the caller it belongs to.</summary>
[Collection(InfrastructureCollection.Name)]
public sealed class RedisPipeliningTests(InfrastructureFixture infrastructure) : IAsyncLifetime
{
    private readonly string _clientName = "pipelining-" + Guid.NewGuid().ToString("N")[..8];
    private RedisClient _redis = null!;

    public Task InitializeAsync()
    {
        _redis = new RedisClient($"{infrastructure.Redis.ConnectionString},name={_clientName}");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task Ten_thousand_concurrent_increments_count_exactly_and_each_caller_gets_its_own_count()
    {
        var key = RedisTestKeys.New("counter");

        var counts = await Task.WhenAll(Enumerable.Range(0, 10_000).Select(_ => Task.Run(() => _redis.IncrementAsync(key))));

        Assert.Equal("10000", await _redis.GetAsync(key));
        // Each INCR's reply is the count right after it; all of 1..10000 once each means no reply went to two callers or none.
        Assert.Equal(Enumerable.Range(1, 10_000).Select(i => (long)i), counts.Order());
    }

    [Fact]
    public async Task Concurrent_gets_of_distinct_keys_each_return_their_own_value()
    {
        var keys = Enumerable.Range(0, 5_000).Select(i => (Key: RedisTestKeys.New($"own-{i}"), Value: $"value-{i}-{Guid.NewGuid():N}")).ToList();
        await Task.WhenAll(keys.Select(k => _redis.SetAsync(k.Key, k.Value)));

        var read = await Task.WhenAll(keys.Select(k => Task.Run(async () => (k.Value, Read: await _redis.GetAsync(k.Key)))));

        Assert.All(read, r => Assert.Equal(r.Value, r.Read));
    }

    [Fact]
    public async Task All_calls_share_one_connection()
    {
        await Task.WhenAll(Enumerable.Range(0, 1_000).Select(_ => _redis.PingAsync()));

        var clients = (await _redis.ExecuteAsync("CLIENT", "LIST")).AsString()!;

        Assert.Single(Regex.Matches(clients, $@"\bname={_clientName}\b"));
    }
}
