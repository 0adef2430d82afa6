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
        // A thread of its own starts each send at its time: a loop on Task.Delay woke up to a few ms late (the
        // timer's granularity), and sends queued to the thread pool waited behind the very work they measure
        // (the gateway and services run in this process), so the load generator's lateness was counted as the
        // system's latency. Each send runs on this thread up to its first await (for an HTTP call: the request
        // is written), then continues on the pool.
        var sender = new Thread(() =>
        {
            var origin = Stopwatch.GetTimestamp();
            for (var sequence = 0; sequence < total && !ct.IsCancellationRequested; sequence++)
            {
                scheduled[sequence] = origin + (long)(sequence * interval);
                WaitUntil(scheduled[sequence]);
                sends[sequence] = StartSafely(send, sequence);
            }
        }) { IsBackground = true, Name = "steady-rate sender" };
        sender.Start();
        await Task.Run(sender.Join, ct);
        ct.ThrowIfCancellationRequested();
        await Task.WhenAll(sends);
        return scheduled;
    }

    /// <summary>Sleeps while a whole millisecond or more is left, then yields the core until the time (under 1 ms).</summary>
    private static void WaitUntil(long timestamp)
    {
        while (true)
        {
            var left = (timestamp - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency;
            if (left >= 1) Thread.Sleep((int)left);
            else if (Stopwatch.GetTimestamp() < timestamp) Thread.Yield();
            else return;
        }
    }

    /// <summary>A send that throws before its first await fails its own task, not the sender thread.</summary>
    private static Task StartSafely(Func<int, Task> send, int sequence)
    {
        try { return send(sequence); }
        catch (Exception e) { return Task.FromException(e); }
    }
}
