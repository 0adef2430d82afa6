using Billing.Gateway.RateLimiting;
using Billing.Tests.Messaging;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Billing.Tests.Gateway;

public sealed class RateLimitOutageTests
{
    private static readonly RedisConnectionException Refused = new(ConnectionFailureType.UnableToConnect, "connection refused");

    [Fact]
    public void An_outage_is_logged_once_per_interval_with_how_many_requests_went_through_and_once_when_redis_is_back()
    {
        var clock = new SteppedClock();
        using var log = new LogCapture();
        var outage = new RateLimitOutage(clock, new LoggerFactory([log]).CreateLogger<RateLimitOutage>());

        for (var i = 0; i < 50; i++) outage.LetThrough(Refused);
        var afterBurst = log.Entries.Count;
        clock.Advance(RateLimitOutage.LogInterval);
        outage.LetThrough(Refused);
        outage.Answered();
        outage.Answered();
        outage.LetThrough(Refused);

        Assert.Equal(1, afterBurst);
        Assert.Collection(log.Entries,
            first => Assert.Contains("1 requests let through uncounted", first.Message),
            second => Assert.Contains("50 requests let through uncounted", second.Message),
            back => Assert.Contains("on again", back.Message),
            nextOutage => Assert.Contains("1 requests let through uncounted", nextOutage.Message));
    }

    private sealed class SteppedClock : TimeProvider
    {
        private long _timestamp = 1;

        public override long GetTimestamp() => _timestamp;

        public void Advance(TimeSpan by) => _timestamp += (long)(by.TotalSeconds * TimestampFrequency);
    }
}
