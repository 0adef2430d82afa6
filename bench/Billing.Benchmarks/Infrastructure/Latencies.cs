using System.Diagnostics;

namespace Billing.Benchmarks.Infrastructure;

/// <summary>Latency samples in Stopwatch ticks, summarised as percentiles in milliseconds.</summary>
public sealed class Latencies(IReadOnlyList<long> ticks)
{
    private readonly long[] _sorted = ticks.Order().ToArray();

    public int Count => _sorted.Length;

    public double Percentile(double p) =>
        _sorted.Length == 0 ? double.NaN : Milliseconds(_sorted[Math.Clamp((int)Math.Ceiling(p / 100 * _sorted.Length) - 1, 0, _sorted.Length - 1)]);

    public double Max => _sorted.Length == 0 ? double.NaN : Milliseconds(_sorted[^1]);

    public string Summary() => $"n={Count,5}  p50={Percentile(50),7:0.00} ms  p90={Percentile(90),7:0.00} ms  p99={Percentile(99),7:0.00} ms  max={Max,7:0.00} ms";

    private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
