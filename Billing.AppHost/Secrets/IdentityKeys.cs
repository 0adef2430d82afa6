using System.Security.Cryptography;

namespace Billing.AppHost.Secrets;

/// <summary>
/// The key pair of the caller identity the gateway signs and every service verifies (ECDSA P-256,
/// as Billing.ServiceDefaults' IdentityToken expects): the private half only for the gateway,
/// kept in the secrets file so a second run signs with the same key.
/// </summary>
public sealed record IdentityKeys(Secret SigningKey, string PublicKey)
{
    public static IdentityKeys From(SecretParameters secrets)
    {
        var signing = secrets.Get("identity-signing-key", () => secrets.Store.Get("identity-signing-key", () =>
        {
            using var created = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            return Convert.ToBase64String(created.ExportPkcs8PrivateKey());
        }));
        using var key = ECDsa.Create();
        key.ImportPkcs8PrivateKey(Convert.FromBase64String(signing.Value), out _);
        return new IdentityKeys(signing, Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()));
    }
}
