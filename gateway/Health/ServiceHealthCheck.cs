using Microsoft.Extensions.Diagnostics.HealthChecks;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace Billing.Gateway.Health;

/// <summary>
/// One service's health as the gateway's active probes last saw it: healthy while any of its
/// destinations answers <c>/health</c>, unhealthy when none does or none was probed yet (ready
/// means proven ready). Reads YARP's state, so <c>/health</c> says what routing will do.
/// </summary>
public sealed class ServiceHealthCheck(string service, IProxyStateLookup proxy) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        if (!proxy.TryGetCluster(service, out var cluster))
            return Task.FromResult(HealthCheckResult.Unhealthy($"No cluster is configured for {service}."));

        var destinations = cluster.Destinations.Values
            .Select(d => (Address: d.Model.Config.Address, State: d.Health.Active))
            .OrderBy(d => d.Address, StringComparer.Ordinal)
            .ToList();
        var description = string.Join("; ", destinations.Select(d => $"{d.Address} {Describe(d.State)}"));
        var healthy = destinations.Count(d => d.State == DestinationHealth.Healthy);

        return Task.FromResult(
            healthy == destinations.Count ? HealthCheckResult.Healthy(description)
            : healthy > 0 ? HealthCheckResult.Degraded(description)
            : HealthCheckResult.Unhealthy(description));
    }

    private static string Describe(DestinationHealth state) => state switch
    {
        DestinationHealth.Healthy => "healthy",
        DestinationHealth.Unhealthy => "unhealthy",
        _ => "not checked yet",
    };
}
