namespace Billing.Tests.AppHost;

/// <summary>
/// Processes that belong to one AppHost run: the pids it reported, and any process whose command
/// line or environment names the run's data folder or one of its ports (postgres -D, beam.smp's
/// mnesia dir, redis.conf, the services' ASPNETCORE_URLS and service addresses).
/// </summary>
public static class LeftoverProcesses
{
    public static IReadOnlyList<string> Find(string dataDirectory, IEnumerable<int> pids, IEnumerable<int> ports)
    {
        var markers = ports.Select(p => $"127.0.0.1:{p}").Append(dataDirectory).ToList();
        var reported = pids.ToHashSet();
        var found = new List<string>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == Environment.ProcessId) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                if (stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z')) continue;
                var commandLine = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ').Trim();
                var environment = File.ReadAllText(Path.Combine(dir, "environ"));
                if (reported.Contains(pid) || markers.Any(m => commandLine.Contains(m) || environment.Contains(m)))
                    found.Add($"{pid}: {commandLine}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        return found;
    }

    /// <summary>Polls until none is left (stopping takes a moment after the exit of the parent).</summary>
    public static async Task<IReadOnlyList<string>> WaitUntilNoneAsync(string dataDirectory, IEnumerable<int> pids, IEnumerable<int> ports, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        IReadOnlyList<string> left;
        while ((left = Find(dataDirectory, pids, ports)).Count > 0 && DateTime.UtcNow < deadline) await Task.Delay(200);
        return left;
    }
}
