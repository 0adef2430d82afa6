using Billing.AppHost.Logging;
using Billing.Hosting;

namespace Billing.AppHost.Resources;

/// <summary>Postgres, RabbitMQ or Redis run by the AppHost through the Billing.Hosting launchers.</summary>
public sealed class ServerResource : Resource
{
    private readonly ManagedServer _server;
    private readonly string _scheme;

    public ServerResource(ManagedServer server, ResourceKind kind, string scheme, string healthCheck, ResourceLog log)
        : base(server.Name, kind, log)
    {
        _server = server;
        _scheme = scheme;
        HealthCheck = healthCheck;
        server.Log = log.Write;
        // Ctrl+C in the terminal reaches only the AppHost, which stops the servers after the services.
        server.NewSession = true;
    }

    public ManagedServer Server => _server;
    public override string HealthCheck { get; }
    public override IReadOnlyList<ResourceEndpoint> Endpoints => [new(_scheme, $"{_scheme}://127.0.0.1:{_server.Port}")];
    public override IReadOnlyList<int> Pids => _server.Pids.ToList();

    protected override async Task<Task<int>> LaunchAsync(TimeSpan timeout, CancellationToken ct)
    {
        await _server.StartAsync(timeout, ct);
        return _server.Process!.Exited;
    }

    protected override Task StopProcessesAsync() => _server.StopAsync();

    public override Task<bool> ProbeAsync(CancellationToken ct) => _server.IsHealthyAsync(ct);
}
