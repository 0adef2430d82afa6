namespace Billing.AppHost.Resources;

/// <summary>What a resource is, in the words a container dashboard would use.</summary>
public enum ResourceKind { Database, Broker, Cache, Sandbox, Service, Gateway }

public enum ResourceState { Starting, Healthy, Unhealthy, Failed, Stopped }

/// <summary>Where a resource answers; <paramref name="Url"/> never holds a password.</summary>
public sealed record ResourceEndpoint(string Name, string Url);
