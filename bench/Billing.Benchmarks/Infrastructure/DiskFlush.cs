using System.Diagnostics;

namespace Billing.Benchmarks.Infrastructure;

/// <summary>
/// How long the disk under a folder takes to make one small write durable, what each of the
/// baseline's commits waits for. Printed with the rates so a slow baseline can be told from a slow
/// disk (on 2026-12-01 it read 115 µs in runs whose ratios differed by 13 points: not the disk).
/// </summary>
public static class DiskFlush
{
    /// <summary>Writes and flushes 8 KiB <paramref name="count"/> times in a scratch file under <paramref name="folder"/>.</summary>
    public static Latencies Measure(string folder, int count = 200)
    {
        var path = Path.Combine(folder, "flush-probe-" + Guid.NewGuid().ToString("N"));
        var page = new byte[8192];
        var samples = new long[count];
        try
        {
            using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
            for (var i = 0; i < count; i++)
            {
                var start = Stopwatch.GetTimestamp();
                file.Position = 0;
                file.Write(page);
                file.Flush(flushToDisk: true);
                samples[i] = Stopwatch.GetTimestamp() - start;
            }
        }
        finally
        {
            File.Delete(path);
        }
        return new Latencies(samples);
    }
}
