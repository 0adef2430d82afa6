using System.Diagnostics;

namespace Billing.Benchmarks.Infrastructure;

/// <summary>
/// Stopwatch timestamps as wall-clock times, to compare them with times the services wrote into
/// Postgres (their <c>DateTimeOffset.UtcNow</c> or Postgres's <c>now()</c>): all read the same
/// machine's clock. The pair is taken once; a run of minutes drifts by microseconds.
/// </summary>
public static class WallClock
{
    private static readonly (long Timestamp, DateTimeOffset Wall) Origin = (Stopwatch.GetTimestamp(), DateTimeOffset.UtcNow);

    public static DateTimeOffset At(long timestamp) => Origin.Wall + Stopwatch.GetElapsedTime(Origin.Timestamp, timestamp);

    /// <summary>A duration in Stopwatch ticks, the unit of <see cref="Latencies"/>.</summary>
    public static long Ticks(TimeSpan duration) => (long)(duration.TotalSeconds * Stopwatch.Frequency);
}
