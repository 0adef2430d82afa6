namespace Billing.Gateway.Routing;

/// <summary>The services behind the gateway; each is one YARP cluster and one service-discovery name.</summary>
public static class ServiceNames
{
    public const string Catalog = "catalog";
    public const string Subscriptions = "subscriptions";
    public const string Orders = "orders";
    public const string Connect = "connect";
    public const string Usage = "usage";
    public const string Webhooks = "webhooks";

    public static readonly IReadOnlyList<string> All = [Catalog, Subscriptions, Orders, Connect, Usage, Webhooks];
}
