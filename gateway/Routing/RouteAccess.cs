namespace Billing.Gateway.Routing;

/// <summary>Who may call a route.</summary>
public enum Audience
{
    /// <summary>Anyone: Stripe's webhooks, health, the API documents.</summary>
    Public,

    /// <summary>A key of the app named in the path, holding the route's scope.</summary>
    AppKey,

    /// <summary>A developer account token: its apps, the platform dashboard.</summary>
    Account,

    /// <summary>The operator key: accounts, admin operations.</summary>
    Operator,

    /// <summary>Either an account token (for its own apps) or the operator.</summary>
    AccountOrOperator,
}

/// <summary>
/// Endpoint metadata the gateway's authentication reads after routing: who may call the endpoint
/// and, for app routes, the scope it needs. Every endpoint carries one (or is marked public);
/// one without it is refused, so a route added without a decision is closed, not open.
/// </summary>
/// <param name="Scope">For <see cref="Audience.AppKey"/>: e.g. <c>catalog:read</c>.</param>
/// <param name="PublishableAllowed">True for the public catalog reads a publishable key may make.</param>
/// <param name="OpenWhilePaymentRequired">True for the dashboard billing routes a past-due developer needs
/// to see and pay what is owed; every other route answers such a caller 402 payment_required.</param>
public sealed record RouteAccess(Audience Audience, string? Scope = null, bool PublishableAllowed = false, bool OpenWhilePaymentRequired = false)
{
    public static readonly RouteAccess Public = new(Audience.Public);
    public static readonly RouteAccess Account = new(Audience.Account);
    public static readonly RouteAccess Operator = new(Audience.Operator);
    public static readonly RouteAccess AccountOrOperator = new(Audience.AccountOrOperator);
}
