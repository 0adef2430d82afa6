using System.Collections.Concurrent;
using System.Diagnostics;
using Billing.Hosting;
using Billing.ServiceDefaults.Redis;

namespace Billing.Tests.Redis;

/// <summary>
/// Server restarts and crashes, on a redis-server of the test's own (the shared one must stay up
/// for the other tests): in-flight calls fail fast, and the same client reconnects by itself.
/// </summary>
public sealed class RedisReconnectTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "billing-redis-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly ConcurrentQueue<Exception> _unobserved = new();
    private RedisServer _server = null!;
    private RedisClient _redis = null!;

    public async Task InitializeAsync()
    {
        TaskScheduler.UnobservedTaskException += RecordUnobserved;
        _server = new RedisServer(_folder, FreePort.Next(), "reconnect-" + Guid.NewGuid().ToString("N"), durable: false);
        await _server.StartAsync(TimeSpan.FromSeconds(20));
        _redis = new RedisClient($"{_server.ConnectionString},connectTimeout=1000");
    }

    public async Task DisposeAsync()
    {
        await _redis.DisposeAsync();
        await _server.StopAsync();
        TaskScheduler.UnobservedTaskException -= RecordUnobserved;
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task After_a_restart_pending_calls_fail_fast_and_the_same_client_reconnects()
    {
        await _redis.SetAsync("before-restart", "v");
        var inFlight = _redis.ExecuteAsync("BLPOP", ["never", 10], TimeSpan.FromSeconds(20));
        await Task.Delay(200); // let the BLPOP reach the server

        var stopped = Stopwatch.StartNew();
        await _server.StopAsync();
        await Assert.ThrowsAsync<RedisConnectionException>(() => inFlight);
        var inFlightFailedAfter = stopped.Elapsed;
        var whileDown = Stopwatch.StartNew();
        await Assert.ThrowsAsync<RedisConnectionException>(() => _redis.PingAsync());
        await Assert.ThrowsAsync<RedisConnectionException>(() => _redis.PingAsync());
        var whileDownFailedAfter = whileDown.Elapsed;

        await _server.StartAsync(TimeSpan.FromSeconds(20));
        var reconnected = await EventuallyAsync(() => _redis.GetAsync("before-restart"));

        Assert.InRange(inFlightFailedAfter, TimeSpan.Zero, TimeSpan.FromSeconds(3)); // not its 20 s timeout
        Assert.InRange(whileDownFailedAfter, TimeSpan.Zero, TimeSpan.FromSeconds(1));
        Assert.Equal((true, null), reconnected); // a new, empty (non-durable) server answered through the old client
        Assert.Equal("OK", (await _redis.ExecuteAsync("SET", "after-restart", "v")).AsString());
        AssertNoUnobservedExceptions();
    }

    [Fact]
    public async Task After_a_crash_calls_fail_fast_and_the_same_client_reconnects()
    {
        await _redis.SetAsync("before-crash", "v");

        var process = _server.Process!;
        _server.Kill();
        await process.Exited.WaitAsync(TimeSpan.FromSeconds(5)); // SIGKILL lands asynchronously
        var crashed = Stopwatch.StartNew();
        await Assert.ThrowsAsync<RedisConnectionException>(() => _redis.GetAsync("before-crash"));
        var failedAfter = crashed.Elapsed;
        await FreePortAsync(_server.Port);
        await _server.StartAsync(TimeSpan.FromSeconds(20));
        var reconnected = await EventuallyAsync(() => _redis.IncrementAsync("after-crash"));

        Assert.InRange(failedAfter, TimeSpan.Zero, TimeSpan.FromSeconds(2));
        Assert.Equal((true, 1L), reconnected);
        AssertNoUnobservedExceptions();
    }

    /// <summary>Retries a call while the client backs off between connection attempts; the reply of the first success.</summary>
    private static async Task<(bool Succeeded, T? Value)> EventuallyAsync<T>(Func<Task<T>> call)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                return (true, await call());
            }
            catch (RedisConnectionException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    /// <summary>A killed redis-server's port is free once the OS has reaped it; starting earlier would fail as "port busy".</summary>
    private static async Task FreePortAsync(int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (FreePort.IsInUse(port) && DateTime.UtcNow < deadline) await Task.Delay(50);
    }

    private void RecordUnobserved(object? sender, UnobservedTaskExceptionEventArgs e) => _unobserved.Enqueue(e.Exception);

    /// <summary>Faulted tasks that nobody awaited surface only when collected, so collect before looking.</summary>
    private void AssertNoUnobservedExceptions()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.DoesNotContain(_unobserved, e => e.ToString().Contains("Billing.ServiceDefaults.Redis"));
    }
}
