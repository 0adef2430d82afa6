using System.Diagnostics;

namespace Billing.Benchmarks.Infrastructure;

/// <summary>
/// An open-loop load: one send every 1/rate s whatever the earlier ones are doing, so a slow
/// system shows up as latency instead of a lower rate. Latencies count from each send's
/// scheduled time (not its actual start), so a late sender is not forgiven.
/// </summary>
public static class SteadyRate
{
    /// <summary>Runs <paramref name="send"/> for 0..total-1 at <paramref name="rate"/> per second; returns each send's scheduled timestamp.</summary>
    public static async Task<long[]> SendAsync(int rate, int total, Func<int, Task> send, CancellationToken ct = default)
    {
        var scheduled = new long[total];
        var sends = new Task[total];
        var interval = Stopwatch.Frequency / (double)rate;
        var origin = Stopwatch.GetTimestamp();
        var next = 0;
        while (next < total)
        {
            var due = Math.Min(total, (int)((Stopwatch.GetTimestamp() - origin) / interval) + 1);
            for (; next < due; next++)
            {
                var sequence = next;
                scheduled[sequence] = origin + (long)(sequence * interval);
                sends[sequence] = Task.Run(() => send(sequence), ct);
            }
            await Task.Delay(1, ct);
        }
        await Task.WhenAll(sends);
        return scheduled;
    }
}
