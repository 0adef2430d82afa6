namespace Billing.AppHost.Startup;

/// <summary>What makes a pid the same process later: its executable and its start time since boot.</summary>
public sealed record ProcessIdentity(string Executable, long StartTicks)
{
    /// <summary>The pids and every process below them (from the parent pids in /proc).</summary>
    public static IReadOnlyList<int> WithDescendants(IReadOnlyList<int> pids)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                parents[pid] = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { }
        }
        var result = new List<int>(pids);
        for (var i = 0; i < result.Count; i++)
            result.AddRange(parents.Where(p => p.Value == result[i]).Select(p => p.Key));
        return result;
    }

    public static ProcessIdentity? Of(int pid)
    {
        try
        {
            var executable = new FileInfo($"/proc/{pid}/exe").ResolveLinkTarget(returnFinalTarget: false)?.FullName;
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Field 22 (starttime); the command name in parentheses may hold spaces, so count from the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return executable is null ? null : new ProcessIdentity(executable, long.Parse(fields[19]));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
