using Billing.AppHost.Resources;

namespace Billing.AppHost.Dashboard;

/// <summary>A resource as <c>/api/resources</c> shows it.</summary>
public sealed record ResourceView(
    string Name, ResourceKind Kind, ResourceState State, IReadOnlyList<int> Pids, IReadOnlyList<ResourceEndpoint> Endpoints,
    string HealthCheck, DateTimeOffset? HealthCheckedAt, int RestartCount, DateTimeOffset? HealthyAt, string? LastError)
{
    public static ResourceView From(Resource r) => new(
        r.Name, r.Kind, r.State, r.Pids, r.Endpoints, r.HealthCheck, r.HealthCheckedAt, r.RestartCount, r.HealthyAt, r.LastError);
}
