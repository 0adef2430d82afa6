using Billing.ServiceDefaults.Redis;
using Microsoft.Extensions.Options;

namespace Billing.Gateway.RateLimiting;

/// <summary>What the limiter decided for one request.</summary>
public readonly record struct RateDecision(bool Allowed, TimeSpan RetryAfter);

/// <summary>
/// A fixed window per caller, aligned to the clock and counted in Redis so every gateway replica
/// shares it: one script per request increments the window's counter and starts its expiry on the
/// first hit. The key names the window's length too, so a changed setting starts clean counts.
/// <para>
/// If Redis is down or slow, requests are let through uncounted, with a warning: availability over
/// strictness. Rate limits protect the services from floods, and a Redis outage must not become an
/// outage of the whole API. While Redis keeps failing it is not asked for a few seconds, so callers
/// do not each wait out a timeout.
/// </para>
/// </summary>
public sealed class RateLimiter(IRedis redis, IOptions<RateLimitOptions> options, TimeProvider time, ILogger<RateLimiter> logger)
{
    private const string Script = """
        local count = redis.call('INCR', KEYS[1])
        if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
        return count
        """;

    private static readonly TimeSpan PauseAfterFailure = TimeSpan.FromSeconds(5);
    private readonly RateLimitOptions _options = options.Value;
    private long _skipUntilTicks;

    public async Task<RateDecision> CheckAsync(string callerId, int? limit, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (now.UtcTicks < Interlocked.Read(ref _skipUntilTicks)) return new RateDecision(true, TimeSpan.Zero);
        var windowMs = (long)_options.Window.TotalMilliseconds;
        var nowMs = now.ToUnixTimeMilliseconds();
        var window = nowMs / windowMs;
        try
        {
            var count = (await redis.EvalAsync(Script, [$"ratelimit:{callerId}:{windowMs}:{window}"], [windowMs], ct)
                .WaitAsync(_options.RedisTimeout, ct)).AsInt64();
            return count <= (limit ?? _options.Limit)
                ? new RateDecision(true, TimeSpan.Zero)
                : new RateDecision(false, TimeSpan.FromMilliseconds((window + 1) * windowMs - nowMs));
        }
        catch (Exception e) when (e is RedisConnectionException or RedisException or TimeoutException)
        {
            Interlocked.Exchange(ref _skipUntilTicks, (now + PauseAfterFailure).UtcTicks);
            logger.LogWarning(e, "Rate limiting is off for {Pause}: Redis did not answer ({Error}); requests are let through uncounted",
                PauseAfterFailure, e.Message);
            return new RateDecision(true, TimeSpan.Zero);
        }
    }
}
