using System.Diagnostics;

namespace Billing.Benchmarks.Infrastructure;

/// <summary>
/// GET calls at a steady rate (<see cref="SteadyRate"/>: open loop): each call's latency from its scheduled time, and
/// the part of it spent before the load generator got to send it (its own lateness, not the system's).
/// </summary>
public static class SteadyCalls
{
    public static async Task<(Latencies Latencies, Latencies SendDelays)> RunAsync(HttpClient client, string path, int rate, int calls)
    {
        var starts = new long[calls];
        var ends = new long[calls];
        var scheduled = await SteadyRate.SendAsync(rate, calls, async i =>
        {
            starts[i] = Stopwatch.GetTimestamp();
            using var response = await client.GetAsync(path);
            response.EnsureSuccessStatusCode();
            await response.Content.CopyToAsync(Stream.Null);
            ends[i] = Stopwatch.GetTimestamp();
        });
        return (new Latencies(ends.Select((end, i) => end - scheduled[i]).ToList()),
            new Latencies(starts.Select((start, i) => start - scheduled[i]).ToList()));
    }
}
