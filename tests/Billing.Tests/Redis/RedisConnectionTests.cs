using System.Text.RegularExpressions;
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
        await using var rightPassword = new RedisClient(Shared);
        await using var redis = new RedisClient(Shared with { Password = "not-the-password", MinReconnectBackoff = TimeSpan.FromSeconds(5) });
        var deniedBefore = await DeniedAuthenticationsAsync(rightPassword);

        var first = await Assert.ThrowsAsync<RedisConnectionException>(() => redis.PingAsync());
        var later = new List<RedisConnectionException>();
        for (var i = 0; i < 20; i++) later.Add(await Assert.ThrowsAsync<RedisConnectionException>(() => redis.PingAsync()));
        var deniedAfter = await DeniedAuthenticationsAsync(rightPassword);

        Assert.Contains($"Redis at {Shared.EndPoint} refused the credentials", first.Message);
        Assert.Contains("WRONGPASS", first.Message);
        Assert.DoesNotContain("not-the-password", first.Message);
        // The calls during the backoff report the same cause without asking the server again.
        Assert.All(later, e => Assert.Contains("refused the credentials", e.Message));
        Assert.Contains("next attempt in", later[^1].Message);
        Assert.Equal(1, deniedAfter - deniedBefore);
    }

    /// <summary>How many WRONGPASS errors the server has answered, from INFO errorstats (absent until the first).</summary>
    private static async Task<long> DeniedAuthenticationsAsync(RedisClient redis)
    {
        var stats = (await redis.ExecuteAsync("INFO", "errorstats")).AsString()!;
        var match = Regex.Match(stats, @"^errorstat_WRONGPASS:count=(\d+)", RegexOptions.Multiline);
        return match.Success ? long.Parse(match.Groups[1].Value) : 0;
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
