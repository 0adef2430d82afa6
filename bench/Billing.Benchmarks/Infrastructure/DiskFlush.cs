using System.Diagnostics;

namespace Billing.Benchmarks.Infrastructure;

/// <summary>
/// How long the disk under a folder takes to make one small write durable, as Postgres does at
/// every commit. A baseline of one commit per row follows this closely, so printing it next to the
/// rates tells a slow run from a slow disk: this VM's flushes vary several-fold within a day.
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
