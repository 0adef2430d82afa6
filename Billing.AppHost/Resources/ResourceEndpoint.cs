namespace Billing.AppHost.Resources;

/// <summary>Where a resource answers; <paramref name="Url"/> never holds a password.</summary>
public sealed record ResourceEndpoint(string Name, string Url);
