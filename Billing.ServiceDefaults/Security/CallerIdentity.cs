namespace Billing.ServiceDefaults.Security;

/// <summary>Who is calling, as the gateway established it.</summary>
public enum CallerKind
{
    /// <summary>The platform operator (<c>bop_</c>): creates accounts, runs operations.</summary>
    Operator,

    /// <summary>A developer account token (<c>bat_</c>): manages its apps, the platform dashboard.</summary>
    Account,

    /// <summary>An app's secret key (<c>bk_test_</c>/<c>bk_live_</c>), full or restricted to scopes.</summary>
    SecretKey,

    /// <summary>An app's publishable key (<c>bpk_</c>): public catalog reads only.</summary>
    PublishableKey,
}

/// <summary>
/// The caller's identity that the gateway forwards to services, signed, so a service can trust it
/// without a database lookup and can refuse a request that did not come through the gateway.
/// </summary>
public sealed record CallerIdentity
{
    /// <summary>Scope of a full (unrestricted) secret key.</summary>
    public const string AllScopes = "*";

    /// <summary>What a publishable key may do.</summary>
    public const string PublicCatalogScope = "catalog:public";

    public required CallerKind Kind { get; init; }
    public required string KeyId { get; init; }
    public string? AccountId { get; init; }
    public string? AppId { get; init; }
    public string Mode { get; init; } = "test";
    public IReadOnlyList<string> Scopes { get; init; } = [];
    public IReadOnlyList<string> RedirectOrigins { get; init; } = [];
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>
    /// True when the caller holds <paramref name="scope"/>: a full key holds every app scope,
    /// and <c>x:write</c> includes <c>x:read</c>, as with Stripe's restricted keys.
    /// </summary>
    public bool HasScope(string scope)
    {
        if (Kind is not (CallerKind.SecretKey or CallerKind.PublishableKey)) return false;
        if (Scopes.Contains(scope)) return true;
        if (Kind == CallerKind.PublishableKey) return false;
        if (Scopes.Contains(AllScopes) && scope != PublicCatalogScope) return true;
        return scope.EndsWith(":read", StringComparison.Ordinal) && Scopes.Contains(scope[..^":read".Length] + ":write");
    }

    /// <summary>The app's redirect allowlist, carried in the identity so services need not look it up.</summary>
    public RedirectAllowlist RedirectAllowlist => RedirectAllowlist.From(RedirectOrigins);
}
