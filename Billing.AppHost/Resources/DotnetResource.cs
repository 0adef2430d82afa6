using Billing.AppHost.Logging;
using Billing.Hosting;

namespace Billing.AppHost.Resources;

/// <summary>
/// A built .NET program (service, gateway, Stripe sandbox) run as <c>dotnet &lt;dll&gt;</c> on a
/// fixed port, healthy when <c>GET /health</c> answers 200.
/// </summary>
public sealed class DotnetResource(
    string name, ResourceKind kind, string dll, int port, Dictionary<string, string> environment,
    ResourceLog log, string portAdvice = "stop what uses it") : Resource(name, kind, log)
{
    private const string HealthPath = "/health";
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(2) };
    private ChildProcess? _child;

    public string Dll { get; } = dll;

    /// <summary>Its configuration (Aspire conventions); complete once the database is provisioned.</summary>
    public Dictionary<string, string> Environment { get; } = environment;
    public int Port { get; } = port;
    public string Url => $"http://127.0.0.1:{Port}";
    public override string HealthCheck => $"GET {HealthPath}";
    public override IReadOnlyList<ResourceEndpoint> Endpoints => [new("http", Url)];
    public override IReadOnlyList<int> Pids => _child is { HasExited: false } child ? [child.Pid] : [];

    /// <summary>The deliberate migration step: <c>dotnet &lt;dll&gt; migrate</c> applies the schema's scripts and exits.</summary>
    public async Task MigrateAsync(TimeSpan timeout, CancellationToken ct)
    {
        Log.Write($"migrate: dotnet {Path.GetFileName(Dll)} migrate");
        await using var migrate = ChildProcess.Start(Spec(["migrate"]), Log.Write);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        int exitCode;
        try { exitCode = await migrate.Exited.WaitAsync(deadline.Token); }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new HostingException($"{Name}: migrate did not finish within {timeout.TotalSeconds:0} s; its log lines above say why.");
        }
        if (exitCode != 0)
            throw new HostingException($"{Name}: migrate failed with exit code {exitCode}; fix what its log lines above say and run again.");
    }

    protected override async Task<Task<int>> LaunchAsync(TimeSpan timeout, CancellationToken ct)
    {
        if (FreePort.IsInUse(Port)) throw new HostingException($"{Name}: port {Port} is busy; {portAdvice}.");
        var child = _child = ChildProcess.Start(Spec([]), Log.Write);
        OnProcessesChanged();
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (child.HasExited)
                throw new HostingException($"{Name} exited during start-up with code {await child.Exited}; its last log lines above say why.");
            if (await ProbeAsync(ct)) return child.Exited;
            await Task.Delay(200, ct);
        }
        throw new HostingException($"{Name} did not answer {HealthCheck} with 200 within {timeout.TotalSeconds:0} s; its log lines above say why.");
    }

    protected override async Task StopProcessesAsync()
    {
        if (_child is { } child) await child.StopAsync(TimeSpan.FromSeconds(10));
        _child = null;
    }

    public override async Task<bool> ProbeAsync(CancellationToken ct)
    {
        try
        {
            using var response = await Http.GetAsync(Url + HealthPath, ct);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return false;
        }
    }

    private ProcessSpec Spec(IReadOnlyList<string> arguments) =>
        new(DotnetHost.Path, [Dll, .. arguments])
        {
            Environment = new Dictionary<string, string>(Environment),
            WorkingDirectory = Path.GetDirectoryName(Dll),
            NewSession = true,
        };
}
