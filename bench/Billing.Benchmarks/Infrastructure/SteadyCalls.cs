using System.Diagnostics;

namespace Billing.Benchmarks.Infrastructure;

/// <summary>
/// GET calls at a steady rate (<see cref="SteadyRate"/>: open loop), over as many runs as asked, with each call's latency
/// from its scheduled time and the part of it spent before the load generator got to send it (its own lateness,
/// not the system's).
/// </summary>
public sealed class SteadyCalls
{
    private readonly List<long> _latencies = [];
    private readonly List<long> _sendDelays = [];

    public int Count => _latencies.Count;
    public Latencies Latencies => new(_latencies);
    public Latencies SendDelays => new(_sendDelays);

    public async Task RunAsync(HttpClient client, string path, int rate, int calls)
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
        for (var i = 0; i < calls; i++)
        {
            _latencies.Add(ends[i] - scheduled[i]);
            _sendDelays.Add(starts[i] - scheduled[i]);
        }
    }
}
