namespace Billing.Benchmarks.Infrastructure;

/// <summary>The machine's load average, printed with the figures: on a shared machine it says how much they can be trusted.</summary>
public static class Load
{
    public static string Average() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
