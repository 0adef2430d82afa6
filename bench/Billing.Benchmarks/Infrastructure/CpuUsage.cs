using System.Diagnostics;

namespace Billing.Benchmarks.Infrastructure;

/// <summary>
/// CPU time (user + system) spent by this process and by the servers the benchmark started (each a
/// process tree: Postgres's backends, RabbitMQ's Erlang VM), read from /proc. With everything on
/// one machine, "CPU per event" per component says where a rate's limit is, which the rate alone cannot.
/// </summary>
public sealed class CpuUsage(IReadOnlyDictionary<string, int> servers)
{
    // USER_HZ, the unit of /proc/*/stat times: 100 on every Linux the kernel ABI allows.
    private const double TicksPerSecond = 100;

    public IReadOnlyDictionary<string, TimeSpan> Snapshot()
    {
        var result = new Dictionary<string, TimeSpan> { ["this process"] = Process.GetCurrentProcess().TotalProcessorTime };
        var processes = ReadProcesses();
        foreach (var (name, root) in servers)
            result[name] = TimeSpan.FromSeconds(processes.Values.Where(p => Descends(p.Pid, root, processes)).Sum(p => p.Ticks) / TicksPerSecond);
        return result;
    }

    /// <summary>Microseconds of CPU per event for each component between two snapshots.</summary>
    public static string PerEvent(IReadOnlyDictionary<string, TimeSpan> before, IReadOnlyDictionary<string, TimeSpan> after, long events) =>
        string.Join(", ", after.Select(kv => $"{kv.Key} {(kv.Value - before[kv.Key]).TotalMicroseconds / Math.Max(1, events):0} µs"));

    /// <summary>Adds what happened between two snapshots to a running total.</summary>
    public static Dictionary<string, TimeSpan> Add(Dictionary<string, TimeSpan>? total, IReadOnlyDictionary<string, TimeSpan> before, IReadOnlyDictionary<string, TimeSpan> after)
    {
        total ??= after.Keys.ToDictionary(k => k, _ => TimeSpan.Zero);
        foreach (var (key, value) in after) total[key] += value - before[key];
        return total;
    }

    private sealed record ProcessTimes(int Pid, int ParentPid, long Ticks);

    private static Dictionary<int, ProcessTimes> ReadProcesses()
    {
        var processes = new Dictionary<int, ProcessTimes>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid)) continue;
            try
            {
                // The command name may hold spaces and parentheses: the fields start after the last ')'.
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                // ppid, then utime stime cutime cstime (the last two: children already reaped, e.g. ended backends).
                var ticks = long.Parse(fields[11]) + long.Parse(fields[12]) + long.Parse(fields[13]) + long.Parse(fields[14]);
                processes[pid] = new ProcessTimes(pid, int.Parse(fields[1]), ticks);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                // The process ended while we read.
            }
        }
        return processes;
    }

    private static bool Descends(int pid, int root, Dictionary<int, ProcessTimes> processes)
    {
        for (var depth = 0; depth < 64 && pid > 1; depth++)
        {
            if (pid == root) return true;
            if (!processes.TryGetValue(pid, out var process)) return false;
            pid = process.ParentPid;
        }
        return false;
    }
}
