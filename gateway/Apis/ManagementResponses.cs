using System.Text.Json.Serialization;
using Billing.Gateway.Auth;
using Billing.Gateway.Model;

namespace Billing.Gateway.Apis;

/// <summary>A new account with its token, which is shown this once.</summary>
public sealed record CreatedAccountResponse(string Id, string Email, string Name, DateTimeOffset CreatedAt, string Token);

public sealed record AppResponse(string Id, string Name, IReadOnlyList<string> RedirectOrigins, int? RateLimit, DateTimeOffset CreatedAt)
{
    public static AppResponse From(App app) => new(app.Id, app.Name, app.RedirectOrigins, app.RateLimit, app.CreatedAt);
}

/// <param name="Secret">The full secret: only in the answer that created it (create, roll), never again.</param>
/// <param name="Scopes">Empty for a full secret key.</param>
/// <param name="Status"><c>active</c>, <c>expiring</c> (rolled, in its grace period), <c>expired</c> or <c>revoked</c>.</param>
public sealed record KeyResponse(
    string Id, string AppId, string Type, string Mode, string Name, IReadOnlyList<string> Scopes, string MaskedSecret,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Secret,
    string Status, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt, string? ReplacedBy)
{
    public static KeyResponse From(ApiKey key, DateTimeOffset now, string? secret = null) => new(
        key.Id, key.AppId, key.Type, key.Mode, key.Name, key.Scopes, Secrets.Mask(key.Prefix, key.Last4), secret,
        key.RevokedAt is not null ? "revoked" : key.ExpiresAt is null ? "active" : key.ExpiresAt > now ? "expiring" : "expired",
        key.CreatedAt, key.ExpiresAt, key.RevokedAt, key.ReplacedBy);
}

public sealed record AuditEntryResponse(
    string Id, string? AccountId, string Action, string Target, string? Ip, string? UserAgent, string? RequestId, DateTimeOffset CreatedAt)
{
    public static AuditEntryResponse From(AuditEntry entry) =>
        new(entry.Id, entry.AccountId, entry.Action, entry.Target, entry.Ip, entry.UserAgent, entry.RequestId, entry.CreatedAt);
}
