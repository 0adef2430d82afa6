namespace Billing.AppHost.Programs;

public static class ServiceNames
{
    /// <summary>Every schema of the one database, each with its own role: the gateway's and one per service.</summary>
    public static readonly IReadOnlyList<string> Schemas = ["gateway", "catalog", "subscriptions", "orders", "connect", "usage", "webhooks"];
}
