using Billing.AppHost.Logging;
using Billing.Hosting;

namespace Billing.AppHost.Resources;

/// <summary>
/// Something the AppHost runs and watches: started and health-gated, probed while it runs,
/// restarted with backoff when it exits on its own, restarted on request, stopped on shutdown.
/// Start, stop and restart never overlap (one lifecycle lock); a process exit is a crash only when
/// it belongs to the current launch, so a deliberate stop is never mistaken for one.
/// </summary>
public abstract class Resource(string name, ResourceKind kind, ResourceLog log)
{
    private static readonly TimeSpan StableAfter = TimeSpan.FromSeconds(60);
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private int _generation;
    private int _restarts;
    private int _crashesInARow;
    private CancellationToken _stopping;
    private bool _supervised;

    public string Name { get; } = name;
    public ResourceKind Kind { get; } = kind;
    public ResourceLog Log { get; } = log;
    public ResourceState State { get; private set; } = ResourceState.Starting;
    public int RestartCount => Volatile.Read(ref _restarts);
    public string? LastError { get; private set; }
    public DateTimeOffset? HealthyAt { get; private set; }
    public DateTimeOffset? HealthCheckedAt { get; private set; }
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The request that decides health, for the dashboard (e.g. <c>GET /health</c>).</summary>
    public abstract string HealthCheck { get; }
    public abstract IReadOnlyList<ResourceEndpoint> Endpoints { get; }
    public abstract IReadOnlyList<int> Pids { get; }

    /// <summary>Raised when processes were started or stopped (the pid file follows it).</summary>
    public event Action? ProcessesChanged;

    /// <summary>Raised when the process exits on its own before supervision begins (a failed start-up).</summary>
    public event Action<Resource, string>? CrashedUnsupervised;

    /// <summary>Starts the processes and returns once healthy, with the task of the main process's exit.</summary>
    protected abstract Task<Task<int>> LaunchAsync(TimeSpan timeout, CancellationToken ct);
    protected abstract Task StopProcessesAsync();
    public abstract Task<bool> ProbeAsync(CancellationToken ct);

    protected void OnProcessesChanged() => ProcessesChanged?.Invoke();

    /// <summary>Starts and waits until healthy; throws a <see cref="HostingException"/> that says what to do.</summary>
    public async Task StartAsync(CancellationToken ct)
    {
        await _lifecycle.WaitAsync(ct);
        try { await StartLockedAsync(ct); }
        finally { _lifecycle.Release(); }
    }

    /// <summary>From now on an unexpected exit is repaired by a restart with backoff, until <paramref name="stopping"/>.</summary>
    public void Supervise(CancellationToken stopping)
    {
        _stopping = stopping;
        _supervised = true;
        if (State == ResourceState.Failed) _ = RecoverAsync(Volatile.Read(ref _generation));
    }

    public async Task StopAsync()
    {
        await _lifecycle.WaitAsync();
        try
        {
            Interlocked.Increment(ref _generation);
            await StopProcessesAsync();
            State = ResourceState.Stopped;
            OnProcessesChanged();
        }
        finally { _lifecycle.Release(); }
    }

    /// <summary>Stop, then start again (the dashboard's Restart action).</summary>
    public async Task RestartAsync()
    {
        await _lifecycle.WaitAsync(_stopping);
        try
        {
            Interlocked.Increment(ref _restarts);
            Interlocked.Increment(ref _generation);
            Log.Write("restart requested");
            State = ResourceState.Starting;
            await StopProcessesAsync();
            await StartLockedAsync(_stopping);
        }
        catch (HostingException e)
        {
            Log.Write($"restart failed: {e.Message}");
            if (_supervised) _ = RecoverAsync(Volatile.Read(ref _generation));
        }
        catch (OperationCanceledException) { }
        finally { _lifecycle.Release(); }
    }

    /// <summary>Probes a running resource and moves it between healthy and unhealthy.</summary>
    public async Task RefreshHealthAsync(CancellationToken ct)
    {
        if (State is not (ResourceState.Healthy or ResourceState.Unhealthy) || _lifecycle.CurrentCount == 0) return;
        var generation = Volatile.Read(ref _generation);
        bool healthy;
        try { healthy = await ProbeAsync(ct); }
        catch (HostingException) { healthy = false; }
        if (generation != Volatile.Read(ref _generation) || State is not (ResourceState.Healthy or ResourceState.Unhealthy)) return;
        HealthCheckedAt = DateTimeOffset.UtcNow;
        var next = healthy ? ResourceState.Healthy : ResourceState.Unhealthy;
        if (next != State) Log.Write(healthy ? "healthy again" : $"unhealthy: {HealthCheck} failed");
        State = next;
    }

    private async Task StartLockedAsync(CancellationToken ct)
    {
        var generation = Interlocked.Increment(ref _generation);
        State = ResourceState.Starting;
        LastError = null;
        try
        {
            var exited = await LaunchAsync(StartTimeout, ct);
            HealthyAt = HealthCheckedAt = DateTimeOffset.UtcNow;
            State = ResourceState.Healthy;
            OnProcessesChanged();
            _ = exited.ContinueWith(t => OnExited(generation, t.Result), TaskScheduler.Default);
        }
        catch (Exception e)
        {
            State = ResourceState.Failed;
            LastError = e.Message;
            OnProcessesChanged();
            throw;
        }
    }

    private void OnExited(int generation, int exitCode)
    {
        if (generation != Volatile.Read(ref _generation)) return;
        State = ResourceState.Failed;
        LastError = $"exited with code {exitCode}";
        Log.Write(LastError);
        if (HealthyAt is { } since && DateTimeOffset.UtcNow - since > StableAfter) _crashesInARow = 0;
        if (!_supervised)
        {
            CrashedUnsupervised?.Invoke(this, $"{Name} exited during start-up with code {exitCode}; its last log lines above say why.");
            return;
        }
        _ = RecoverAsync(generation);
    }

    /// <summary>Restarts after a crash, waiting 1, 2, 4 ... 30 s as crashes repeat.</summary>
    private async Task RecoverAsync(int generation)
    {
        var delay = TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, _crashesInARow++)));
        Log.Write($"restarting in {delay.TotalSeconds:0} s (restart {RestartCount + 1})");
        try
        {
            await Task.Delay(delay, _stopping);
            await _lifecycle.WaitAsync(_stopping);
        }
        catch (OperationCanceledException) { return; }
        try
        {
            if (generation != Volatile.Read(ref _generation)) return;
            Interlocked.Increment(ref _restarts);
            await StopProcessesAsync();
            await StartLockedAsync(_stopping);
            Log.Write($"healthy again after restart {RestartCount}");
        }
        catch (HostingException e)
        {
            Log.Write($"restart failed: {e.Message}");
            _ = RecoverAsync(Volatile.Read(ref _generation));
        }
        catch (OperationCanceledException) { }
        finally { _lifecycle.Release(); }
    }
}
