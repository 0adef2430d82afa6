using static Billing.Gateway.Routing.ServiceNames;

namespace Billing.Gateway.Routing;

/// <summary>One row of the route table: a path (API.md's spelling), the service that owns it and who may call it.</summary>
/// <param name="Path">A route pattern such as <c>/v1/{appId}/billing/plans</c>.</param>
/// <param name="Service">The owning service (its cluster).</param>
/// <param name="IncludesSubpaths">True when the row also owns everything below the path.</param>
/// <param name="Audience">Who may call it.</param>
/// <param name="Resource">For app routes: the scope's resource; reads need <c>{Resource}:read</c>, writes <c>{Resource}:write</c>.</param>
/// <param name="PublishableReads">True for the public catalog: publishable keys may read it.</param>
/// <param name="WhilePaymentRequired">Which of its calls a developer whose platform subscription is past due may still make.</param>
public sealed record GatewayRoute(
    string Path, string Service, bool IncludesSubpaths, Audience Audience, string? Resource = null, bool PublishableReads = false,
    PaymentRequiredAccess WhilePaymentRequired = PaymentRequiredAccess.None)
{
    /// <summary>The YARP path pattern; a catch-all also matches the path itself.</summary>
    public string Pattern => IncludesSubpaths ? Path + "/{**rest}" : Path;

    /// <summary>Who may make a read (GET, HEAD, OPTIONS) or a write through this row.</summary>
    public RouteAccess Access(bool read)
    {
        var openWhilePaymentRequired = WhilePaymentRequired == PaymentRequiredAccess.All || (read && WhilePaymentRequired == PaymentRequiredAccess.Reads);
        return Audience == Audience.AppKey
            ? new RouteAccess(Audience, $"{Resource}:{(read ? "read" : "write")}", PublishableAllowed: read && PublishableReads, openWhilePaymentRequired)
            : new RouteAccess(Audience, OpenWhilePaymentRequired: openWhilePaymentRequired);
    }
}

/// <summary>What a route leaves open to a developer who owes their platform subscription (API.md: 402 on everything else).</summary>
public enum PaymentRequiredAccess
{
    None,
    /// <summary>GET, HEAD, OPTIONS: see what is owed.</summary>
    Reads,
    /// <summary>Every method: pay it.</summary>
    All,
}

/// <summary>
/// Which service owns which public path (API.md), and who may call it. Paths match exactly these
/// prefixes: anything else is the gateway's own 404, never a proxy error.
/// </summary>
public static class RouteTable
{
    public static readonly IReadOnlyList<GatewayRoute> Routes =
    [
        App("/v1/{appId}/billing/plans", Catalog, "catalog", publishableReads: true),
        App("/v1/{appId}/billing/products", Catalog, "catalog", publishableReads: true),

        App("/v1/{appId}/billing/customers", Subscriptions, "customers"),
        App("/v1/{appId}/billing/subscribe", Subscriptions, "subscriptions"),
        App("/v1/{appId}/billing/checkout", Subscriptions, "subscriptions"),
        App("/v1/{appId}/billing/subscription", Subscriptions, "subscriptions"),
        App("/v1/{appId}/billing/subscriptions", Subscriptions, "subscriptions"),
        App("/v1/{appId}/billing/cancel", Subscriptions, "subscriptions"),
        App("/v1/{appId}/billing/resume", Subscriptions, "subscriptions"),
        App("/v1/{appId}/billing/portal", Subscriptions, "subscriptions"),
        // A past-due developer pays through these, so they stay open to them.
        Exactly("/dashboard/billing/checkout", Subscriptions, Audience.Account, PaymentRequiredAccess.All),
        Exactly("/dashboard/billing/portal", Subscriptions, Audience.Account, PaymentRequiredAccess.All),

        App("/v1/{appId}/billing/purchase", Orders, "orders"),
        App("/v1/{appId}/billing/orders", Orders, "orders"),
        App("/v1/{appId}/billing/wallet", Orders, "wallet"),

        App("/v1/{appId}/billing/connect", Connect, "connect"),
        App("/v1/{appId}/creators", Connect, "connect"),

        App("/v1/{appId}/usage", Usage, "usage"),
        App("/v1/{appId}/entitlements", Usage, "usage"),
        Exactly("/dashboard/billing", Usage, Audience.Account, PaymentRequiredAccess.Reads),
        Exactly("/dashboard/usage", Usage, Audience.Account),
        // The dashboard page and its script hold no data: public (its data calls carry the account token).
        Exactly("/dashboard", Usage, Audience.Public, PaymentRequiredAccess.All),
        Exactly("/dashboard/dashboard.js", Usage, Audience.Public, PaymentRequiredAccess.All),

        // Stripe signs its webhooks; the Webhooks service checks the signature.
        new("/webhooks/stripe", Webhooks, IncludesSubpaths: true, Audience.Public),
        new("/v1/admin/webhook-events", Webhooks, IncludesSubpaths: true, Audience.Operator),
        Exactly("/v1/admin/dead-letters", Webhooks, Audience.Operator),
    ];

    private static GatewayRoute App(string path, string service, string resource, bool publishableReads = false) =>
        new(path, service, IncludesSubpaths: true, Audience.AppKey, resource, publishableReads);

    private static GatewayRoute Exactly(string path, string service, Audience audience, PaymentRequiredAccess whilePaymentRequired = PaymentRequiredAccess.None) =>
        new(path, service, IncludesSubpaths: false, audience, WhilePaymentRequired: whilePaymentRequired);
}
