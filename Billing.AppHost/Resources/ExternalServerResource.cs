using Billing.AppHost.Logging;
using Billing.Hosting;

namespace Billing.AppHost.Resources;

/// <summary>A server someone else runs (<c>--external</c>): only probed, never started or stopped.</summary>
public sealed class ExternalServerResource(
    string name, ResourceKind kind, ResourceEndpoint endpoint, string healthCheck, string option,
    Func<CancellationToken, Task<bool>> probe, ResourceLog log) : Resource(name, kind, log)
{
    private static readonly Task<int> NeverExits = new TaskCompletionSource<int>().Task;

    public override string HealthCheck => healthCheck;
    public override IReadOnlyList<ResourceEndpoint> Endpoints => [endpoint];
    public override IReadOnlyList<int> Pids => [];

    protected override async Task<Task<int>> LaunchAsync(TimeSpan timeout, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await probe(ct)) return NeverExits;
            }
            catch (HostingException e)
            {
                throw new HostingException($"{Name}: {e.Message} Correct {option}.");
            }
            await Task.Delay(500, ct);
        }
        throw new HostingException($"{Name}: {endpoint.Url} did not answer ({healthCheck}); start it or correct {option}.");
    }

    protected override Task StopProcessesAsync() => Task.CompletedTask;

    public override Task<bool> ProbeAsync(CancellationToken ct) => probe(ct);
}
