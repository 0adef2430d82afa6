namespace Billing.Hosting;

/// <summary>
/// An infrastructure server (Postgres, RabbitMQ, Redis): how it starts — files to write, then
/// <see cref="Steps"/> in order — and how to tell it answers. The one definition the AppHost (as
/// Aspire executable resources) and the test and benchmark fixtures (as child processes, through
/// <see cref="StartAsync"/>) share.
/// </summary>
public abstract class ManagedServer : IAsyncDisposable
{
    private readonly List<ChildProcess> _processes = [];

    protected ManagedServer(string name, string dataDirectory, int port)
    {
        Name = name;
        DataDirectory = Path.GetFullPath(dataDirectory);
        Port = port;
    }

    public string Name { get; }
    public string DataDirectory { get; }
    public int Port { get; }

    /// <summary>Connection string in the form the Aspire conventions use for this kind of server.</summary>
    public abstract string ConnectionString { get; }

    /// <summary>Writes what the processes read (data folder, config files); run before the first step.</summary>
    public abstract Task PrepareAsync(CancellationToken ct = default);

    /// <summary>The processes to start, in order, once <see cref="PrepareAsync"/> ran; the last one is the server.</summary>
    public abstract IReadOnlyList<ServerStep> Steps { get; }

    /// <summary>True when the server answers a real request now.</summary>
    public abstract Task<bool> IsHealthyAsync(CancellationToken ct = default);

    /// <summary>Called once the server answers: removes what only the first start needed.</summary>
    public virtual void OnStarted() { }

    /// <summary>The main process (the server itself), once started as a child.</summary>
    public ChildProcess? Process => _processes.LastOrDefault();

    /// <summary>Where the output lines of the children go; set before <see cref="StartAsync"/>.</summary>
    public Action<string> Log { get; set; } = _ => { };

    /// <summary>Starts the children in their own session (see <see cref="ProcessSpec.NewSession"/>).</summary>
    public bool NewSession { get; set; }

    /// <summary>Runs the steps as child processes and returns once the server answers, or throws a <see cref="HostingException"/>.</summary>
    public async Task StartAsync(TimeSpan timeout, CancellationToken ct = default)
    {
        // A restart after a crash: what is left of the previous run (epmd beside a dead broker) goes first.
        if (_processes.Count > 0) await StopAsync();
        if (FreePort.IsInUse(Port))
            throw new HostingException($"{Name}: port {Port} is busy; stop what uses it or pick another port.");
        await PrepareAsync(ct);
        var deadline = DateTime.UtcNow + timeout;
        foreach (var step in Steps)
        {
            if (step.RunsToCompletion)
            {
                var output = new List<string>();
                await using var child = ChildProcess.Start(step.Spec, line => { lock (output) output.Add(line); Log(line); });
                if (await child.Exited.WaitAsync(ct) != 0)
                    throw new HostingException($"{Name}: {step.Name} failed: {string.Join(" | ", output.TakeLast(3))}.");
                continue;
            }
            var process = Launch(step.Spec);
            while (!await step.IsReadyAsync(ct))
            {
                if (process.HasExited) throw new HostingException($"{Name}: {step.Name} exited during start-up; its last log lines above say why.");
                if (DateTime.UtcNow > deadline) throw new HostingException($"{Name}: {step.Name} was not ready within {timeout.TotalSeconds:0} s.");
                await Task.Delay(100, ct);
            }
        }
        OnStarted();
    }

    private ChildProcess Launch(ProcessSpec spec)
    {
        var child = ChildProcess.Start(NewSession ? spec with { NewSession = true } : spec, Log);
        _processes.Add(child);
        return child;
    }

    /// <summary>Stops the children in reverse start order.</summary>
    public async Task StopAsync()
    {
        for (var i = _processes.Count - 1; i >= 0; i--)
            await _processes[i].StopAsync(TimeSpan.FromSeconds(15));
        _processes.Clear();
    }

    /// <summary>Kills the children at once, as a crash would.</summary>
    public void Kill()
    {
        foreach (var child in _processes) child.Kill();
        _processes.Clear();
    }

    public IEnumerable<int> Pids => _processes.Where(p => !p.HasExited).Select(p => p.Pid);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        GC.SuppressFinalize(this);
    }
}
