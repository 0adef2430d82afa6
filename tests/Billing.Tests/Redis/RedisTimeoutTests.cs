using System.Diagnostics;
using Billing.ServiceDefaults.Redis;
using Billing.Tests.Infrastructure;

namespace Billing.Tests.Redis;

/// <summary>
/// A caller that stops waiting must not shift replies: the abandoned command's reply still
/// arrives on the shared connection and has to be consumed, not handed to the next caller.
/// </summary>
[Collection(InfrastructureCollection.Name)]
public sealed class RedisTimeoutTests(InfrastructureFixture infrastructure) : IAsyncLifetime
{
    private RedisClient _redis = null!;

    public Task InitializeAsync()
    {
        // The options' command timeout is the default of every call.
        _redis = new RedisClient($"{infrastructure.Redis.ConnectionString},syncTimeout=300");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task A_blocking_command_times_out_by_the_default_timeout_and_later_calls_get_their_own_replies()
    {
        var key = RedisTestKeys.New("after-timeout");
        var started = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<TimeoutException>(() => _redis.ExecuteAsync("BLPOP", RedisTestKeys.New("never"), 2));
        var timedOutAfter = started.Elapsed;
        // These queue behind the BLPOP on the server, so they get a longer limit of their own.
        var set = await _redis.ExecuteAsync("SET", [key, "mine"], TimeSpan.FromSeconds(5));
        var get = await _redis.ExecuteAsync("GET", [key], TimeSpan.FromSeconds(5));

        Assert.InRange(timedOutAfter, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(1500));
        Assert.Contains("BLPOP", error.Message);
        Assert.Equal("OK", set.AsString()); // not the BLPOP's late null
        Assert.Equal("mine", get.AsString());
    }

    [Fact]
    public async Task A_per_call_timeout_overrides_the_default()
    {
        var started = Stopwatch.StartNew();

        // BLPOP's own 1 s timeout ends it with nil, well past the 300 ms default that would have cut it off.
        var reply = await _redis.ExecuteAsync("BLPOP", [RedisTestKeys.New("never"), 1], TimeSpan.FromSeconds(5));

        Assert.True(reply.IsNull);
        Assert.InRange(started.Elapsed, TimeSpan.FromMilliseconds(900), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task An_infinite_timeout_lets_a_blocking_command_wait_past_the_default_for_its_value()
    {
        var queue = RedisTestKeys.New("queue");
        await using var producer = new RedisClient(infrastructure.Redis.ConnectionString);

        var popped = _redis.ExecuteAsync("BLPOP", [queue, 0], Timeout.InfiniteTimeSpan);
        await Task.Delay(500); // past the 300 ms default
        await producer.ExecuteAsync("RPUSH", queue, "job-1");

        Assert.Equal([queue, "job-1"], (await popped).AsArray().Select(v => v.AsString()));
    }

    [Fact]
    public async Task A_cancelled_call_stops_waiting_at_once_and_later_calls_get_their_own_replies()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var started = Stopwatch.StartNew();

        // Redis would answer the BLPOP after 5 s: a cancel that only took effect with the reply would take that long.
        // The margin below it is wide because the test may share two cores with a starting AppHost.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            _redis.ExecuteAsync("BLPOP", [RedisTestKeys.New("never"), 5], TimeSpan.FromSeconds(10), cancel.Token));

        Assert.InRange(started.Elapsed, TimeSpan.FromMilliseconds(80), TimeSpan.FromSeconds(3));
        var reply = await _redis.ExecuteAsync("ECHO", ["after cancel"], TimeSpan.FromSeconds(10));
        Assert.Equal("after cancel", reply.AsString());
    }

    [Fact]
    public async Task Concurrent_callers_around_a_timed_out_command_still_get_their_own_values()
    {
        var keys = Enumerable.Range(0, 500).Select(i => (Key: RedisTestKeys.New($"around-{i}"), Value: $"v{i}")).ToList();
        await Task.WhenAll(keys.Select(k => _redis.ExecuteAsync("SET", [k.Key, k.Value], TimeSpan.FromSeconds(5))));

        var before = keys.Take(250).Select(k => ReadAsync(k.Key, k.Value)).ToList();
        var blocked = _redis.ExecuteAsync("BLPOP", [RedisTestKeys.New("never"), 1], TimeSpan.FromMilliseconds(100));
        var after = keys.Skip(250).Select(k => ReadAsync(k.Key, k.Value)).ToList();

        await Assert.ThrowsAsync<TimeoutException>(() => blocked);
        Assert.All(await Task.WhenAll(before.Concat(after)), r => Assert.Equal(r.Expected, r.Actual));
    }

    private async Task<(string Expected, string? Actual)> ReadAsync(string key, string expected) =>
        (expected, (await _redis.ExecuteAsync("GET", [key], TimeSpan.FromSeconds(5))).AsString());
}
