using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Billing.Hosting;

/// <summary>
/// A child process whose output lines are forwarded as they arrive and which is stopped
/// gracefully (SIGTERM, then SIGKILL of the whole tree after a grace period).
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly int _stopSignal;

    private ChildProcess(Process process, int stopSignal)
    {
        _process = process;
        _stopSignal = stopSignal;
    }

    public int Pid => _process.Id;
    /// <summary>
    /// How long after the exit <see cref="Exited"/> waits for the output streams to end. They end at
    /// once unless a child the process left behind still holds them (a server's daemon).
    /// </summary>
    private static readonly TimeSpan OutputGrace = TimeSpan.FromSeconds(2);

    public bool HasExited => _exited.Task.IsCompleted;

    /// <summary>
    /// The exit code, once the process ended and its last output lines reached the callback: the OS
    /// reports the exit while those lines may still be in the pipe, and they are often the ones that
    /// say what happened (what a migration applied, why a start failed).
    /// </summary>
    public Task<int> Exited => _exited.Task;

    /// <summary>Starts <paramref name="spec"/>; every output line goes to <paramref name="onLine"/>.</summary>
    public static ChildProcess Start(ProcessSpec spec, Action<string> onLine)
    {
        var (fileName, arguments) = spec.CommandLine;
        // setsid execs the program in place, so the pid we hold stays the program's.
        if (spec.NewSession) (fileName, arguments) = ("setsid", [fileName, .. arguments]);

        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = spec.WorkingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        foreach (var (key, value) in spec.Environment) info.Environment[key] = value;

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ChildProcess(process, spec.StopSignal);
        // A null line is the end of the stream.
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) onLine(e.Data); else child._stdoutClosed.TrySetResult(); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) onLine(e.Data); else child._stderrClosed.TrySetResult(); };
        process.Exited += async (_, _) =>
        {
            await Task.WhenAny(Task.WhenAll(child._stdoutClosed.Task, child._stderrClosed.Task), Task.Delay(OutputGrace));
            child._exited.TrySetResult(SafeExitCode(process));
        };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new HostingException($"cannot start {spec.FileName}: {e.Message}. Run build/setup.sh to install what is missing.");
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // Children get no input; closing stdin keeps shells such as Erlang's from waiting on it.
        process.StandardInput.Close();
        return child;
    }

    /// <summary>The stop signal (SIGTERM by default), wait up to <paramref name="grace"/>, then kill the whole process tree.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (HasExited) return;
        _ = kill(_process.Id, _stopSignal);
        var finished = await Task.WhenAny(_exited.Task, Task.Delay(grace));
        if (finished != _exited.Task)
        {
            try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            await Task.WhenAny(_exited.Task, Task.Delay(TimeSpan.FromSeconds(5)));
        }
    }

    /// <summary>Kills at once, as a crash would (used by tests of crash recovery).</summary>
    public void Kill()
    {
        try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(10));
        _process.Dispose();
    }

    public static bool IsRoot => geteuid() == 0;

    private static int SafeExitCode(Process process)
    {
        try { return process.ExitCode; } catch (InvalidOperationException) { return -1; }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);

    [DllImport("libc")]
    private static extern uint geteuid();
}
