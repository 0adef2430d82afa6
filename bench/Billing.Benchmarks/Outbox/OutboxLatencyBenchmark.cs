using System.Diagnostics;
using Billing.Benchmarks.Infrastructure;
using Billing.ServiceDefaults.Data;
using Billing.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Benchmarks.Outbox;

/// <summary>
/// Latency from "the business change is being saved" to "a consumer has the event", through the
/// outbox (SaveChanges of a row plus its event, relay, RabbitMQ, consumer), at a steady open-loop
/// rate, against a direct <c>Publish</c> of the same message to the same consumer in the same run.
/// </summary>
public static class OutboxLatencyBenchmark
{
    public const string Schema = "bench";
    private const double TargetP99Milliseconds = 100;

    public static async Task<int> RunAsync(BenchmarkArguments arguments)
    {
        var rate = arguments.Int("rate", 500);
        var seconds = arguments.Int("seconds", 10);
        var warmup = arguments.Int("warmup", 2);
        var durable = arguments.Int("durable", 1) == 1;
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        // Open-loop senders must not wait for the thread pool to grow.
        ThreadPool.SetMinThreads(64, 64);

        Console.WriteLine($"outbox benchmark: {rate} messages/s for {seconds} s measured (+{warmup} s warm-up) per mode");
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load average {LoadAverage()}");
        Console.WriteLine($"starting Postgres ({(durable ? "durable" : "fsync off")}) and RabbitMQ on loopback ...");
        await using var servers = await BenchServers.StartAsync(Schema, durable);
        var arrivals = new Arrivals();
        await using var service = BenchService.Build(servers.Database, servers.RabbitMq.ConnectionString, arrivals);
        await service.Services.GetRequiredService<SqlMigrator>().MigrateAsync(limit.Token);
        await service.StartAsync(limit.Token);
        var bus = service.Services.GetRequiredService<IBusControl>();
        await bus.WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));

        var total = rate * (seconds + warmup);
        var skip = rate * warmup;

        Func<string, Func<long, CancellationToken, Task>> directSend = run => (sequence, _) => bus.Publish(new BenchPing(run, sequence));
        var commits = new long[total];
        Func<string, Func<long, CancellationToken, Task>> outboxSend = run => async (sequence, ct) =>
        {
            var start = Stopwatch.GetTimestamp();
            await using var scope = service.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BenchDbContext>();
            db.Orders.Add(new BenchOrder { Id = run == "outbox" ? sequence : -1 - sequence, AmountCents = 1000 + sequence });
            db.AddOutboxMessage(new BenchPing(run, sequence));
            await db.SaveChangesAsync(ct);
            if (run == "outbox") commits[sequence] = Stopwatch.GetTimestamp() - start;
        };

        // Cold paths (EF model, MassTransit's pipes per message type, JIT tiers) are paid before
        // measuring, one message at a time, so neither mode starts with a backlog.
        await WarmUpAsync("warm-direct", arrivals, limit.Token, directSend("warm-direct"));
        await WarmUpAsync("warm-outbox", arrivals, limit.Token, outboxSend("warm-outbox"));

        var idleFrom = Process.GetCurrentProcess().TotalProcessorTime;
        await Task.Delay(TimeSpan.FromSeconds(2), limit.Token);
        Console.WriteLine($"idle: this process's CPU {(Process.GetCurrentProcess().TotalProcessorTime - idleFrom).TotalMilliseconds / 2:0} ms/s");

        // The baseline first, so both modes run on a warmed-up process.
        var direct = await MeasureAsync("direct", rate, total, skip, arrivals, limit.Token, directSend("direct"));
        var outbox = await MeasureAsync("outbox", rate, total, skip, arrivals, limit.Token, outboxSend("outbox"));

        Console.WriteLine();
        Console.WriteLine($"direct Publish -> consumer    {direct.Summary()}");
        Console.WriteLine($"outbox commit  -> consumer    {outbox.Summary()}");
        Console.WriteLine($"  of which the commit itself  {new Latencies(commits[skip..]).Summary()}");
        Console.WriteLine($"ratio outbox/direct           p50 x{outbox.Percentile(50) / direct.Percentile(50):0.0}   p99 x{outbox.Percentile(99) / direct.Percentile(99):0.0}");
        Console.WriteLine($"machine load average after the run: {LoadAverage()}");
        var met = outbox.Percentile(99) < TargetP99Milliseconds && outbox.Count == total - skip;
        Console.WriteLine($"target outbox p99 < {TargetP99Milliseconds} ms with nothing lost: {(met ? "met" : "NOT met")}");
        await service.StopAsync(CancellationToken.None);
        return met ? 0 : 1;
    }

    // Figures from a busy machine mean little without it.
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static async Task WarmUpAsync(string run, Arrivals arrivals, CancellationToken ct, Func<long, CancellationToken, Task> send)
    {
        const int count = 300;
        for (var i = 0; i < count; i++) await send(i, ct);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (arrivals.CountOf(run) < count && DateTime.UtcNow < deadline) await Task.Delay(20, ct);
    }

    /// <summary>
    /// Starts one send every 1/rate s whatever the previous ones are doing (open loop, so a slow
    /// commit shows up as latency rather than lowering the rate), then waits for every arrival.
    /// Latency counts from each message's scheduled time, so a late sender is not forgiven.
    /// </summary>
    private static async Task<Latencies> MeasureAsync(
        string run, int rate, int total, int skip, Arrivals arrivals, CancellationToken ct, Func<long, CancellationToken, Task> send)
    {
        Console.Write($"{run}: sending {total} ...");
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var origin = Stopwatch.GetTimestamp();
        var scheduled = await SteadyRate.SendAsync(rate, total, sequence => send(sequence, ct), ct);
        var achieved = total / Stopwatch.GetElapsedTime(origin).TotalSeconds;

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (arrivals.CountOf(run) < total && DateTime.UtcNow < deadline) await Task.Delay(50, ct);
        var missing = total - arrivals.CountOf(run);
        var cpuPerMessage = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / total;
        Console.WriteLine($" sent at {achieved:0} messages/s, {(missing == 0 ? "all arrived" : $"{missing} MISSING")}, "
            + $"this process's CPU {cpuPerMessage:0.00} ms/message (Postgres and RabbitMQ not counted)");

        var samples = new List<long>(total - skip);
        for (var i = skip; i < total; i++)
            if (arrivals.TryGet(run, i, out var at)) samples.Add(at - scheduled[i]);
        return new Latencies(samples);
    }
}
