using System.Diagnostics.Metrics;
using Billing.ServiceDefaults.Telemetry;
using StackExchange.Redis;

namespace Billing.Gateway.RateLimiting;

/// <summary>
/// Counts every request let through uncounted because Redis is unreachable
/// (<c>billing.gateway.rate_limit.failed_open</c>), and says so in the log at most once per
/// <see cref="LogInterval"/> with how many went through, not once per request: an outage under
/// load would otherwise flood the log. Says once, too, when Redis answers again.
/// </summary>
public sealed class RateLimitOutage(TimeProvider time, ILogger<RateLimitOutage> logger)
{
    public static readonly Counter<long> FailedOpen = BillingTelemetry.Meter.CreateCounter<long>(
        "billing.gateway.rate_limit.failed_open", description: "Requests let through without a rate limit because Redis was unreachable");

    public static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(10);

    private long _unloggedRequests;
    private long _nextLogTimestamp;
    private int _open;

    public void LetThrough(RedisConnectionException error)
    {
        FailedOpen.Add(1);
        Interlocked.Increment(ref _unloggedRequests);
        Interlocked.Exchange(ref _open, 1);
        var now = time.GetTimestamp();
        var next = Interlocked.Read(ref _nextLogTimestamp);
        // One request per interval wins the exchange and writes the line for all of them.
        if (now < next || Interlocked.CompareExchange(ref _nextLogTimestamp, now + (long)(LogInterval.TotalSeconds * time.TimestampFrequency), next) != next)
            return;
        logger.LogWarning(error, "Rate limiting is off: Redis is unreachable ({Failure}); {Requests} requests let through uncounted since the last warning",
            error.FailureType, Interlocked.Exchange(ref _unloggedRequests, 0));
    }

    public void Answered()
    {
        if (Volatile.Read(ref _open) == 0 || Interlocked.Exchange(ref _open, 0) == 0) return;
        // The next outage is reported at once.
        Interlocked.Exchange(ref _nextLogTimestamp, 0);
        logger.LogWarning("Rate limiting is on again: Redis answers; {Requests} more requests were let through uncounted since the last warning",
            Interlocked.Exchange(ref _unloggedRequests, 0));
    }
}
