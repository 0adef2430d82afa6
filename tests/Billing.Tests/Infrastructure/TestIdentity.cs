using System.Security.Cryptography;
using Billing.ServiceDefaults.Security;

namespace Billing.Tests.Infrastructure;

/// <summary>
/// Signs caller identities the way the gateway does, with a key pair made for this test run, so
/// services can be called directly as if through the gateway.
/// </summary>
public static class TestIdentity
{
    private static readonly (string Signing, string Public) Keys = IdentityToken.NewKeyPair();
    private static readonly ECDsa SigningKey = IdentityToken.ImportSigningKey(Keys.Signing);

    public static string PublicKey => Keys.Public;

    public static string SigningKeyBase64 => Keys.Signing;

    /// <summary>A secret key of <paramref name="appId"/>: full when no scopes are given.</summary>
    public static CallerIdentity SecretKey(string appId, params string[] scopes) => new()
    {
        Kind = CallerKind.SecretKey, KeyId = "key_test", AppId = appId, AccountId = "dev_test",
        Scopes = scopes.Length == 0 ? [CallerIdentity.AllScopes] : scopes,
        RedirectOrigins = ["https://shop.example.com", "http://localhost:5173"],
        ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(10),
    };

    public static CallerIdentity PublishableKey(string appId) =>
        SecretKey(appId) with { Kind = CallerKind.PublishableKey, Scopes = [CallerIdentity.PublicCatalogScope] };

    public static CallerIdentity Operator() => new()
    {
        Kind = CallerKind.Operator, KeyId = "key_operator", ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(10),
    };

    public static string Sign(CallerIdentity identity) => IdentityToken.Sign(identity, SigningKey);
}
