namespace Billing.Hosting;

/// <summary>
/// An infrastructure server run as a child process (Postgres, RabbitMQ, Redis): started,
/// health-checked and stopped by the AppHost and by the test fixtures alike.
/// </summary>
public abstract class ManagedServer : IAsyncDisposable
{
    private readonly List<ChildProcess> _processes = [];

    protected ManagedServer(string name, string dataDirectory, int port)
    {
        Name = name;
        DataDirectory = dataDirectory;
        Port = port;
    }

    public string Name { get; }
    public string DataDirectory { get; }
    public int Port { get; }

    /// <summary>The main process (the server itself), once started.</summary>
    public ChildProcess? Process => _processes.LastOrDefault();

    /// <summary>Connection string in the form the Aspire conventions use for this kind of server.</summary>
    public abstract string ConnectionString { get; }

    /// <summary>Where the output lines of the children go; set before <see cref="StartAsync"/>.</summary>
    public Action<string> Log { get; set; } = _ => { };

    /// <summary>Starts the children in their own session (see <see cref="ProcessSpec.NewSession"/>).</summary>
    public bool NewSession { get; set; }

    /// <summary>Starts the server and returns once it answers, or throws a <see cref="HostingException"/>.</summary>
    public async Task StartAsync(TimeSpan timeout, CancellationToken ct = default)
    {
        // A restart after a crash: what is left of the previous run (epmd beside a dead broker) goes first.
        if (_processes.Count > 0) await StopAsync();
        if (FreePort.IsInUse(Port))
            throw new HostingException($"{Name}: port {Port} is busy; stop what uses it or pick another port.");
        Directory.CreateDirectory(DataDirectory);
        await StartProcessesAsync(ct);
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            ct.ThrowIfCancellationRequested();
            if (_processes.Any(p => p.HasExited))
                throw new HostingException($"{Name} exited during start-up; its last log lines above say why.");
            if (await IsHealthyAsync(ct)) return;
            await Task.Delay(100, ct);
        }
        throw new HostingException($"{Name} did not become healthy within {timeout.TotalSeconds:0} s.");
    }

    /// <summary>True when the server answers a real request now.</summary>
    public abstract Task<bool> IsHealthyAsync(CancellationToken ct = default);

    protected abstract Task StartProcessesAsync(CancellationToken ct);

    protected ChildProcess Launch(ProcessSpec spec)
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
