using Billing.ServiceDefaults.Security;

namespace Billing.Gateway.Auth;

/// <summary>
/// A caller the gateway authenticated: who it is, what it may do and until when. Forwarded to
/// services as a signed <see cref="CallerIdentity"/>.
/// </summary>
/// <param name="KeyId">The key's id; for an account token the account id; <c>operator</c> for the operator.</param>
/// <param name="Scopes">For app keys: the granted scopes (<c>*</c> for a full key, <c>catalog:public</c> for a publishable one).</param>
/// <param name="RateLimit">Requests per window for this caller; null: the gateway's default.</param>
/// <param name="ExpiresAt">When a rolled key stops working; null: until revoked.</param>
/// <param name="PaymentRequired">The developer account behind it (the key's app's, or the token's own) has a
/// past-due or unpaid platform subscription: its calls answer 402 except the billing routes that let it pay.</param>
public sealed record Credential(
    CallerKind Kind, string KeyId, string? AccountId, string? AppId, string Mode,
    IReadOnlyList<string> Scopes, IReadOnlyList<string> RedirectOrigins, int? RateLimit, DateTimeOffset? ExpiresAt,
    bool PaymentRequired = false)
{
    public static readonly Credential Operator = new(CallerKind.Operator, "operator", null, null, "live", [], [], null, null);

    public bool IsAppKey => Kind is CallerKind.SecretKey or CallerKind.PublishableKey;

    /// <summary>The services' own rule (<see cref="CallerIdentity.HasScope"/>), so the gateway and the services never disagree.</summary>
    public bool HasScope(string scope) => ToIdentity(DateTimeOffset.MaxValue).HasScope(scope);

    /// <summary>Same caller with the same rights: a token signed for one still says the truth about the other.</summary>
    public bool SameRightsAs(Credential other) =>
        Kind == other.Kind && KeyId == other.KeyId && AccountId == other.AccountId && AppId == other.AppId && Mode == other.Mode
        && Scopes.SequenceEqual(other.Scopes) && RedirectOrigins.SequenceEqual(other.RedirectOrigins);

    public CallerIdentity ToIdentity(DateTimeOffset expiresAt) => new()
    {
        Kind = Kind, KeyId = KeyId, AccountId = AccountId, AppId = AppId, Mode = Mode,
        Scopes = Scopes, RedirectOrigins = RedirectOrigins, ExpiresAt = expiresAt,
    };
}
