using Billing.ServiceDefaults.Api;
using Billing.ServiceDefaults.Security;

namespace Billing.Gateway.Apis;

/// <summary>The body of <c>POST /v1/accounts</c>.</summary>
public sealed record CreateAccountRequest(string? Email, string? Name)
{
    public void Validate() => new Validation()
        .Text(Email, "email", 254)
        .Check(Email is null || (Email.IndexOf('@') > 0 && Email.IndexOf('@') == Email.LastIndexOf('@') && Email.IndexOf('@') < Email.Length - 1
            && !Email.Any(char.IsWhiteSpace)), "email", "email must be an email address.")
        .Text(Name, "name", 200)
        .ThrowIfInvalid();
}

/// <summary>The body of <c>POST /v1/apps</c>.</summary>
public sealed record CreateAppRequest(string? Name, IReadOnlyList<string>? RedirectOrigins)
{
    public List<string> Validate()
    {
        var validation = new Validation().Text(Name, "name", 200);
        var origins = RedirectOriginList.Parse(RedirectOrigins ?? [], "redirectOrigins", validation);
        validation.ThrowIfInvalid();
        return origins;
    }
}

/// <summary>The body of <c>PUT /v1/apps/{appId}/redirect-origins</c>.</summary>
public sealed record RedirectOriginsRequest(IReadOnlyList<string>? Origins)
{
    public List<string> Validate()
    {
        var validation = new Validation().Check(Origins is not null, "origins", "origins is required (an empty list allows no redirects).");
        var origins = RedirectOriginList.Parse(Origins ?? [], "origins", validation);
        validation.ThrowIfInvalid();
        return origins;
    }
}

/// <summary>The body of <c>PUT /v1/apps/{appId}/rate-limit</c>: requests per window for each key, null for the default.</summary>
public sealed record RateLimitRequest(int? Limit)
{
    public void Validate() => new Validation()
        .Check(Limit is null or (> 0 and <= 10_000_000), "limit", "limit must be from 1 to 10000000, or null for the gateway's default.")
        .ThrowIfInvalid();
}

/// <summary>The body of <c>POST /v1/apps/{appId}/keys</c>.</summary>
public sealed record CreateKeyRequest(string? Type, string? Mode, IReadOnlyList<string>? Scopes, string? Name)
{
    /// <summary>API.md's scopes: each resource, read or write.</summary>
    public static readonly IReadOnlySet<string> KnownScopes =
        new[] { "catalog", "customers", "subscriptions", "orders", "wallet", "connect", "usage" }
            .SelectMany(resource => new[] { $"{resource}:read", $"{resource}:write" }).ToHashSet();

    public void Validate()
    {
        var validation = new Validation()
            .Check(Type is "secret" or "publishable", "type", "type must be secret or publishable.")
            .Check(Mode is "test" or "live", "mode", "mode must be test or live.")
            .Text(Name, "name", 100)
            .Check(Scopes is null || Scopes.Count <= KnownScopes.Count, "scopes", "scopes has too many entries.")
            .Check(Type != "publishable" || Scopes is null or { Count: 0 }, "scopes",
                $"A publishable key has a fixed scope ({CallerIdentity.PublicCatalogScope}); leave scopes out.");
        foreach (var (scope, index) in (Scopes ?? []).Select((s, i) => (s, i)))
            validation.Check(scope is not null && KnownScopes.Contains(scope), $"scopes[{index}]",
                $"'{scope}' is not a scope; use one of {string.Join(", ", KnownScopes.Order())}.");
        validation.ThrowIfInvalid();
    }
}

/// <summary>The body of <c>POST /v1/apps/{appId}/keys/{keyId}/roll</c> (optional).</summary>
public sealed record RollKeyRequest(int? ExpiresInSeconds)
{
    /// <summary>The longest grace period an old key may keep working: a week.</summary>
    public const int MaxGraceSeconds = 7 * 24 * 3600;

    public TimeSpan Validate()
    {
        new Validation()
            .Check(ExpiresInSeconds is null or (>= 0 and <= MaxGraceSeconds), "expiresInSeconds",
                $"expiresInSeconds must be from 0 to {MaxGraceSeconds}.")
            .ThrowIfInvalid();
        return TimeSpan.FromSeconds(ExpiresInSeconds ?? 0);
    }
}

/// <summary>Redirect allowlist entries from a request: each parsed, the bad ones reported by index with the reason.</summary>
internal static class RedirectOriginList
{
    public const int MaxEntries = 50;

    public static List<string> Parse(IReadOnlyList<string> entries, string field, Validation validation)
    {
        validation.Check(entries.Count <= MaxEntries, field, $"{field} has at most {MaxEntries} entries.");
        var origins = new List<string>();
        for (var i = 0; i < entries.Count; i++)
        {
            if (RedirectOrigin.TryParse(entries[i], out var origin, out var reason)) origins.Add(origin!.ToString());
            else validation.Check(false, $"{field}[{i}]", $"'{entries[i]}' {reason}.");
        }
        return origins.Distinct().ToList();
    }
}
