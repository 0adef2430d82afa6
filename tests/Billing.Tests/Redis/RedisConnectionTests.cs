using System.Diagnostics;
using Billing.Hosting;
using Billing.ServiceDefaults.Redis;
using Billing.Tests.Infrastructure;

namespace Billing.Tests.Redis;

/// <summary>The handshake: credentials, database selection, and what a caller sees when they are wrong.</summary>
[Collection(InfrastructureCollection.Name)]
public sealed class RedisConnectionTests(InfrastructureFixture infrastructure)
{
    private RedisOptions Shared => RedisOptions.Parse(infrastructure.Redis.ConnectionString);

    [Fact]
    public async Task A_wrong_password_fails_with_a_message_that_says_so_and_is_not_retried_in_a_tight_loop()
    {
        await using var redis = new RedisClient(Shared with { Password = "not-the-password" });

        var first = await Assert.ThrowsAsync<RedisConnectionException>(() => redis.PingAsync());
        var started = Stopwatch.StartNew();
        var second = await Assert.ThrowsAsync<RedisConnectionException>(() => redis.PingAsync());

        Assert.Contains($"Redis at {Shared.EndPoint} refused the credentials", first.Message);
        Assert.Contains("WRONGPASS", first.Message);
        Assert.DoesNotContain("not-the-password", first.Message);
        Assert.Contains("refused the credentials", second.Message); // the same cause, reported during the backoff
        Assert.InRange(started.Elapsed, TimeSpan.Zero, TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public async Task No_password_against_a_protected_server_reports_that_authentication_is_required()
    {
        await using var redis = new RedisClient(Shared with { Password = null });

        var error = await Assert.ThrowsAsync<RedisException>(() => redis.GetAsync("any"));

        Assert.Equal("NOAUTH", error.ErrorPrefix);
    }

    [Fact]
    public async Task Nothing_listening_fails_with_a_connection_error_naming_the_endpoint()
    {
        var closedPort = FreePort.Next();
        await using var redis = new RedisClient($"127.0.0.1:{closedPort},password=x,connectTimeout=1000");

        var error = await Assert.ThrowsAsync<RedisConnectionException>(() => redis.PingAsync());

        Assert.Contains($"127.0.0.1:{closedPort}", error.Message);
    }

    [Fact]
    public async Task The_database_option_selects_a_separate_keyspace()
    {
        await using var database0 = new RedisClient(Shared);
        await using var database5 = new RedisClient(Shared with { Database = 5 });
        var key = RedisTestKeys.New("db");

        await database5.SetAsync(key, "in five");

        Assert.Equal("in five", await database5.GetAsync(key));
        Assert.Null(await database0.GetAsync(key));
    }

    [Fact]
    public async Task A_database_the_server_does_not_have_is_reported_at_connect()
    {
        await using var redis = new RedisClient(Shared with { Database = 999 });

        var error = await Assert.ThrowsAsync<RedisConnectionException>(() => redis.PingAsync());

        Assert.Contains("refused database 999", error.Message);
    }
}
