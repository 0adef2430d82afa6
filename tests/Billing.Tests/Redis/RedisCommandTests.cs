using System.Net.Sockets;
using System.Text;
using Billing.ServiceDefaults.Redis;
using Billing.Tests.Infrastructure;

namespace Billing.Tests.Redis;

/// <summary>The typed helpers of <see cref="IRedis"/> against the real server.</summary>
[Collection(InfrastructureCollection.Name)]
public sealed class RedisCommandTests(InfrastructureFixture infrastructure) : IAsyncLifetime
{
    private RedisClient _redis = null!;

    public Task InitializeAsync()
    {
        _redis = new RedisClient(infrastructure.Redis.ConnectionString);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task Set_then_get_returns_the_value_and_a_missing_key_gives_null()
    {
        var key = RedisTestKeys.New("get");

        Assert.True(await _redis.SetAsync(key, "first"));
        Assert.True(await _redis.SetAsync(key, "second"));

        Assert.Equal("second", await _redis.GetAsync(key));
        Assert.Null(await _redis.GetAsync(RedisTestKeys.New("missing")));
    }

    [Fact]
    public async Task Set_only_if_not_exists_stores_once_and_keeps_the_first_value()
    {
        var key = RedisTestKeys.New("nx");

        var first = await _redis.SetAsync(key, "owner-a", onlyIfNotExists: true);
        var second = await _redis.SetAsync(key, "owner-b", onlyIfNotExists: true);

        Assert.True(first);
        Assert.False(second);
        Assert.Equal("owner-a", await _redis.GetAsync(key));
    }

    [Fact]
    public async Task Only_one_of_many_concurrent_set_if_not_exists_calls_wins()
    {
        var key = RedisTestKeys.New("nx-race");

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => _redis.SetAsync(key, $"owner-{i}", TimeSpan.FromSeconds(30), onlyIfNotExists: true)));

        var winner = Assert.Single(results.Select((won, i) => (won, i)), r => r.won);
        Assert.Equal($"owner-{winner.i}", await _redis.GetAsync(key));
    }

    [Fact]
    public async Task A_value_set_with_an_expiry_is_gone_after_it()
    {
        var key = RedisTestKeys.New("ttl");

        await _redis.SetAsync(key, "short-lived", TimeSpan.FromMilliseconds(400));
        var ttl = (await _redis.ExecuteAsync("PTTL", key)).AsInt64();
        Assert.Equal("short-lived", await _redis.GetAsync(key));
        await Task.Delay(600);

        Assert.InRange(ttl, 1, 400);
        Assert.Null(await _redis.GetAsync(key));
    }

    [Fact]
    public async Task Expire_sets_a_lifetime_on_an_existing_key_only()
    {
        var key = RedisTestKeys.New("expire");
        await _redis.SetAsync(key, "v");

        Assert.True(await _redis.ExpireAsync(key, TimeSpan.FromMilliseconds(150)));
        Assert.False(await _redis.ExpireAsync(RedisTestKeys.New("missing"), TimeSpan.FromSeconds(1)));
        await Task.Delay(300);

        Assert.Null(await _redis.GetAsync(key));
    }

    [Fact]
    public async Task Delete_removes_the_key_and_reports_whether_it_existed()
    {
        var key = RedisTestKeys.New("del");
        await _redis.SetAsync(key, "v");

        Assert.True(await _redis.DeleteAsync(key));
        Assert.False(await _redis.DeleteAsync(key));
        Assert.Null(await _redis.GetAsync(key));
    }

    [Fact]
    public async Task Increment_counts_from_zero_by_one_or_by_the_given_amount()
    {
        var key = RedisTestKeys.New("incr");

        Assert.Equal(1, await _redis.IncrementAsync(key));
        Assert.Equal(6, await _redis.IncrementAsync(key, 5));
        Assert.Equal(-4, await _redis.IncrementAsync(key, -10));
        Assert.Equal("-4", await _redis.GetAsync(key));
    }

    [Fact]
    public async Task Ping_measures_a_round_trip()
    {
        var roundTrip = await _redis.PingAsync();

        Assert.InRange(roundTrip, TimeSpan.FromTicks(1), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Publish_reaches_a_subscriber_and_counts_it()
    {
        var channel = RedisTestKeys.New("channel");
        using var subscriber = await RawSubscriber.ConnectAsync(infrastructure.Redis.Port, RedisOptions.Parse(infrastructure.Redis.ConnectionString).Password!, channel);

        var receivers = await _redis.PublishAsync(channel, "invoice.paid");
        var nobody = await _redis.PublishAsync(RedisTestKeys.New("silent"), "x");

        Assert.Equal(1, receivers);
        Assert.Equal(0, nobody);
        Assert.Contains("invoice.paid", await subscriber.ReadUntilAsync("invoice.paid"));
    }

    /// <summary>A subscriber on its own plain socket, so the client under test is not also the thing checking it.</summary>
    private sealed class RawSubscriber : IDisposable
    {
        private readonly TcpClient _tcp;
        private readonly StringBuilder _received = new();

        private RawSubscriber(TcpClient tcp) => _tcp = tcp;

        public static async Task<RawSubscriber> ConnectAsync(int port, string password, string channel)
        {
            var tcp = new TcpClient();
            await tcp.ConnectAsync("127.0.0.1", port);
            var subscriber = new RawSubscriber(tcp);
            await tcp.GetStream().WriteAsync(Encoding.UTF8.GetBytes($"AUTH {password}\r\nSUBSCRIBE {channel}\r\n"));
            await subscriber.ReadUntilAsync("subscribe");
            return subscriber;
        }

        public async Task<string> ReadUntilAsync(string text)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var buffer = new byte[4096];
            while (!_received.ToString().Contains(text))
            {
                var read = await _tcp.GetStream().ReadAsync(buffer, timeout.Token);
                if (read == 0) break;
                _received.Append(Encoding.UTF8.GetString(buffer, 0, read));
            }
            return _received.ToString();
        }

        public void Dispose() => _tcp.Dispose();
    }
}
