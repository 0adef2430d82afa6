using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Billing.Gateway.RateLimiting;

/// <summary>What the limiter decided for one request.</summary>
public readonly record struct RateDecision(bool Allowed, TimeSpan RetryAfter);

/// <summary>
/// A fixed window per caller, aligned to the clock and counted in Redis so every gateway replica
/// shares it: one script per request increments the window's counter and starts its expiry on the
/// first hit, atomically and in one round trip, so each request gets its own count and exactly the
/// limit passes however many arrive at once. The key names the window's length too, so a changed
/// setting starts clean counts.
/// <para>
/// A slow Redis is waited for (up to the client's own timeout, then <c>503</c>): letting requests
/// through because an answer is late would let a burst switch the limit off. Only when there is no
/// connection to Redis at all are requests let through uncounted (<see cref="RateLimitOutage"/>):
/// a Redis outage must not become an outage of the whole API.
/// </para>
/// </summary>
public sealed class RateLimiter(IConnectionMultiplexer redis, IOptions<RateLimitOptions> options, TimeProvider time, RateLimitOutage outage)
{
    // The client sends the script's SHA1 (EVALSHA) and the script itself only when the server does not
    // know it yet, e.g. after a restart.
    private static readonly LuaScript CountScript = LuaScript.Prepare("""
        local count = redis.call('INCR', @key)
        if count == 1 then redis.call('PEXPIRE', @key, @windowMs) end
        return count
        """);

    private readonly RateLimitOptions _options = options.Value;

    public async Task<RateDecision> CheckAsync(string callerId, int? limit)
    {
        var windowMs = (long)_options.Window.TotalMilliseconds;
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        var window = nowMs / windowMs;
        long count;
        try
        {
            var key = (RedisKey)$"ratelimit:{callerId}:{windowMs}:{window}";
            count = (long)await redis.GetDatabase().ScriptEvaluateAsync(CountScript, new { key, windowMs });
        }
        catch (RedisConnectionException e)
        {
            outage.LetThrough(e);
            return new RateDecision(true, TimeSpan.Zero);
        }
        outage.Answered();
        return count <= (limit ?? _options.Limit)
            ? new RateDecision(true, TimeSpan.Zero)
            : new RateDecision(false, TimeSpan.FromMilliseconds((window + 1) * windowMs - nowMs));
    }
}
