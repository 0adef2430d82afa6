namespace Billing.AppHost.Resources;

/// <summary>What a resource is, in the words a container dashboard would use.</summary>
public enum ResourceKind { Database, Broker, Cache, Sandbox, Service, Gateway }
