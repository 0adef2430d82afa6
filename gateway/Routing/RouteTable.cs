using static Billing.Gateway.Routing.ServiceNames;

namespace Billing.Gateway.Routing;

/// <summary>One row of the route table: a path (API.md's spelling) and the service that owns it.</summary>
/// <param name="Path">A route pattern such as <c>/v1/{appId}/billing/plans</c>.</param>
/// <param name="Service">The owning service (its cluster).</param>
/// <param name="IncludesSubpaths">True when the row also owns everything below the path.</param>
public sealed record GatewayRoute(string Path, string Service, bool IncludesSubpaths)
{
    /// <summary>The YARP path pattern; a catch-all also matches the path itself.</summary>
    public string Pattern => IncludesSubpaths ? Path + "/{**rest}" : Path;
}

/// <summary>
/// Which service owns which public path (API.md). Paths match exactly these prefixes: anything
/// else is the gateway's own 404, never a proxy error.
/// </summary>
public static class RouteTable
{
    public static readonly IReadOnlyList<GatewayRoute> Routes =
    [
        Under("/v1/{appId}/billing/plans", Catalog),
        Under("/v1/{appId}/billing/products", Catalog),

        Under("/v1/{appId}/billing/customers", Subscriptions),
        Under("/v1/{appId}/billing/subscribe", Subscriptions),
        Under("/v1/{appId}/billing/checkout", Subscriptions),
        Under("/v1/{appId}/billing/subscription", Subscriptions),
        Under("/v1/{appId}/billing/subscriptions", Subscriptions),
        Under("/v1/{appId}/billing/cancel", Subscriptions),
        Under("/v1/{appId}/billing/resume", Subscriptions),
        Under("/v1/{appId}/billing/portal", Subscriptions),
        Exactly("/dashboard/billing/checkout", Subscriptions),
        Exactly("/dashboard/billing/portal", Subscriptions),

        Under("/v1/{appId}/billing/purchase", Orders),
        Under("/v1/{appId}/billing/orders", Orders),
        Under("/v1/{appId}/billing/wallet", Orders),

        Under("/v1/{appId}/billing/connect", Connect),
        Under("/v1/{appId}/creators", Connect),

        Under("/v1/{appId}/usage", Usage),
        Under("/v1/{appId}/entitlements", Usage),
        Exactly("/dashboard/billing", Usage),
        Exactly("/dashboard/usage", Usage),

        Under("/webhooks/stripe", Webhooks),
        Under("/v1/admin/webhook-events", Webhooks),
        Exactly("/v1/admin/dead-letters", Webhooks),
    ];

    private static GatewayRoute Under(string path, string service) => new(path, service, IncludesSubpaths: true);

    private static GatewayRoute Exactly(string path, string service) => new(path, service, IncludesSubpaths: false);
}
