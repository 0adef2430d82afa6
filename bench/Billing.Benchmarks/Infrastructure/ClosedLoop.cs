using System.Diagnostics;

namespace Billing.Benchmarks.Infrastructure;

/// <summary>
/// A closed-loop load: each of N callers calls again as soon as its previous call returned, so the
/// rate measured is what the system sustains at that concurrency (unlike <see cref="SteadyRate"/>,
/// which holds a rate and lets latency grow).
/// </summary>
public static class ClosedLoop
{
    /// <summary>Runs <paramref name="call"/> (given the caller's number, 0..callers-1) for <paramref name="duration"/>; returns each call's duration in Stopwatch ticks.</summary>
    public static async Task<List<long>> RunAsync(int callers, TimeSpan duration, Func<int, Task> call)
    {
        var until = Stopwatch.GetTimestamp() + WallClock.Ticks(duration);
        var perCaller = await Task.WhenAll(Enumerable.Range(0, callers).Select(caller => Task.Run(async () =>
        {
            var mine = new List<long>();
            while (Stopwatch.GetTimestamp() < until)
            {
                var start = Stopwatch.GetTimestamp();
                await call(caller);
                mine.Add(Stopwatch.GetTimestamp() - start);
            }
            return mine;
        })));
        return perCaller.SelectMany(mine => mine).ToList();
    }
}
