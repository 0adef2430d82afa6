using System.Collections.Concurrent;
using System.Diagnostics;
using MassTransit;

namespace Billing.Benchmarks.Outbox;

/// <summary>The benchmark's message; <see cref="Sequence"/> ties a receipt to its send.</summary>
public sealed record BenchPing(string Run, long Sequence);

/// <summary>When each message of each run arrived, in Stopwatch ticks.</summary>
public sealed class Arrivals
{
    private readonly ConcurrentDictionary<(string Run, long Sequence), long> _at = new();

    public void Record(BenchPing ping) => _at.TryAdd((ping.Run, ping.Sequence), Stopwatch.GetTimestamp());

    public bool TryGet(string run, long sequence, out long at) => _at.TryGetValue((run, sequence), out at);

    public int CountOf(string run) => _at.Keys.Count(k => k.Run == run);
}

public sealed class BenchPingConsumer(Arrivals arrivals) : IConsumer<BenchPing>
{
    public Task Consume(ConsumeContext<BenchPing> context)
    {
        arrivals.Record(context.Message);
        return Task.CompletedTask;
    }
}
