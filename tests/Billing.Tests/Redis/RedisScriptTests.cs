using System.Text.RegularExpressions;
using Billing.ServiceDefaults.Redis;
using Billing.Tests.Infrastructure;

namespace Billing.Tests.Redis;

[Collection(InfrastructureCollection.Name)]
public sealed class RedisScriptTests(InfrastructureFixture infrastructure) : IAsyncLifetime
{
    // A fixed-window rate limit, the kind of script the gateway runs.
    private const string CountInWindow = """
        local count = redis.call('INCR', KEYS[1])
        if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
        return {count, redis.call('PTTL', KEYS[1]), ARGV[2]}
        """;

    private RedisClient _redis = null!;

    public Task InitializeAsync()
    {
        _redis = new RedisClient(infrastructure.Redis.ConnectionString);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task Eval_falls_back_to_the_full_script_when_the_server_has_none_cached_then_uses_the_hash()
    {
        var key = RedisTestKeys.New("window");
        await _redis.ExecuteAsync("SCRIPT", "FLUSH");
        var before = await CommandCallsAsync();

        var first = await _redis.EvalAsync(CountInWindow, [key], [60_000, "tag"]);
        var afterFirst = await CommandCallsAsync();
        var second = await _redis.EvalAsync(CountInWindow, [key], [60_000, "tag"]);
        var afterSecond = await CommandCallsAsync();

        Assert.Equal(1, first.AsArray()[0].AsInt64());
        Assert.InRange(first.AsArray()[1].AsInt64(), 1, 60_000);
        Assert.Equal("tag", first.AsArray()[2].AsString());
        Assert.Equal(2, second.AsArray()[0].AsInt64());
        Assert.Equal(1, afterFirst.Eval - before.Eval);             // NOSCRIPT led to one full EVAL
        Assert.Equal(0, afterSecond.Eval - afterFirst.Eval);        // ... after which the hash alone was enough
        Assert.Equal(1, afterSecond.EvalSha - afterFirst.EvalSha);
    }

    [Fact]
    public async Task A_failing_script_throws_RedisException_with_the_scripts_error()
    {
        var error = await Assert.ThrowsAsync<RedisException>(() =>
            _redis.EvalAsync("return redis.error_reply('LIMIT over quota')", [], []));

        Assert.Equal("LIMIT over quota", error.Message);
        Assert.Equal("LIMIT", error.ErrorPrefix);
    }

    /// <summary>Successful calls per command from INFO commandstats: what the server actually ran.</summary>
    private async Task<(long Eval, long EvalSha)> CommandCallsAsync()
    {
        var info = (await _redis.ExecuteAsync("INFO", "commandstats")).AsString()!;
        long Calls(string command)
        {
            var match = Regex.Match(info, $@"^cmdstat_{command}:calls=(\d+)", RegexOptions.Multiline);
            return match.Success ? long.Parse(match.Groups[1].Value) : 0;
        }
        return (Calls("eval"), Calls("evalsha"));
    }
}
