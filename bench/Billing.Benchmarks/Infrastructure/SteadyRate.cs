using System.Diagnostics;
using System.Runtime.InteropServices;

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

    /// <summary>
    /// Sleeps until the Stopwatch timestamp, to within the kernel's timer slack (~50 µs): Thread.Sleep counts whole
    /// milliseconds (a send up to 1 ms late, or a core spent spinning out the rest, on a 2-core machine that is the
    /// system's CPU). On Linux, Stopwatch reads CLOCK_MONOTONIC in nanoseconds, so its timestamp is the absolute
    /// time clock_nanosleep takes.
    /// </summary>
    private static void WaitUntil(long timestamp)
    {
        if (Stopwatch.Frequency != 1_000_000_000) throw new PlatformNotSupportedException("Stopwatch does not count CLOCK_MONOTONIC nanoseconds here.");
        var until = new Timespec(timestamp / 1_000_000_000, timestamp % 1_000_000_000);
        int result;
        do result = clock_nanosleep(ClockMonotonic, TimerAbsoluteTime, in until, IntPtr.Zero);
        while (result == InterruptedBySignal);
        if (result != 0) throw new InvalidOperationException($"clock_nanosleep failed: {result}");
    }

    private const int ClockMonotonic = 1, TimerAbsoluteTime = 1, InterruptedBySignal = 4;

    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct Timespec(long Seconds, long Nanoseconds);

    // Returns the error number itself (not -1 and errno).
    [DllImport("libc")]
    private static extern int clock_nanosleep(int clock, int flags, in Timespec request, IntPtr remaining);

    /// <summary>A send that throws before its first await fails its own task, not the sender thread.</summary>
    private static Task StartSafely(Func<int, Task> send, int sequence)
    {
        try { return send(sequence); }
        catch (Exception e) { return Task.FromException(e); }
    }
}
