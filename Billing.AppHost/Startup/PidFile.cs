using System.Runtime.InteropServices;
using Billing.AppHost.Resources;

namespace Billing.AppHost.Startup;

/// <summary>
/// <c>apphost.pids</c>: the processes this run started, rewritten whenever they change, so a run
/// after a hard kill (SIGKILL, power loss of the terminal) can stop what the earlier one left.
/// A pid only counts if the process still runs the same executable since the same moment.
/// </summary>
public sealed class PidFile(string path)
{
    private readonly object _gate = new();

    private const string Self = "apphost";

    /// <summary>Records this AppHost (which claims the data folder) and every process of the resources.</summary>
    public void Write(IEnumerable<Resource> resources)
    {
        // Descendants too: RabbitMQ's pid is a shell script whose child is the broker itself.
        var lines = resources.SelectMany(r => ProcessIdentity.WithDescendants(r.Pids).Select(pid => (r.Name, Pid: pid)))
            .Prepend((Name: Self, Pid: Environment.ProcessId))
            .Select(p => ProcessIdentity.Of(p.Pid) is { } id ? $"{p.Pid}\t{id.StartTicks}\t{id.Executable}\t{p.Name}" : null)
            .OfType<string>();
        lock (_gate)
        {
            File.WriteAllLines(path + ".tmp", lines);
            File.Move(path + ".tmp", path, overwrite: true);
        }
    }

    public void Delete()
    {
        lock (_gate) File.Delete(path);
    }

    /// <summary>
    /// Stops the processes an earlier run left behind and returns their names; refuses (with a
    /// <see cref="Billing.Hosting.HostingException"/>) when the AppHost that wrote the file still runs.
    /// </summary>
    public async Task<IReadOnlyList<string>> StopLeftoversAsync()
    {
        if (!File.Exists(path)) return [];
        var leftovers = new List<(int Pid, string Name)>();
        foreach (var line in await File.ReadAllLinesAsync(path))
        {
            var fields = line.Split('\t');
            if (fields.Length < 4 || !int.TryParse(fields[0], out var pid) || !long.TryParse(fields[1], out var ticks)) continue;
            if (ProcessIdentity.Of(pid) is { } id && id.StartTicks == ticks && id.Executable == fields[2])
                leftovers.Add((pid, fields[3]));
        }
        if (leftovers.FirstOrDefault(l => l.Name == Self) is { Pid: > 0 } owner)
            throw new Billing.Hosting.HostingException(
                $"another AppHost (pid {owner.Pid}) runs on {Path.GetDirectoryName(path)}; stop it first (Ctrl+C there) or choose another folder with --data <dir>.");
        // Services before the servers they use, as a normal shutdown would.
        leftovers.Reverse();
        // Postgres's fast shutdown (SIGINT) does not wait for clients that may be gone already.
        foreach (var (pid, name) in leftovers) _ = kill(pid, name == "postgres" ? SigInt : SigTerm);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (leftovers.Any(l => Directory.Exists($"/proc/{l.Pid}")) && DateTime.UtcNow < deadline) await Task.Delay(100);
        foreach (var (pid, _) in leftovers.Where(l => Directory.Exists($"/proc/{l.Pid}"))) _ = kill(pid, SigKill);
        Delete();
        return leftovers.Select(l => l.Name).Distinct().ToList();
    }

    private const int SigInt = 2, SigTerm = 15, SigKill = 9;

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
