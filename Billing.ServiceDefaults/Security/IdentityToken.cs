using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Billing.ServiceDefaults.Http;

namespace Billing.ServiceDefaults.Security;

/// <summary>
/// The signed form of a <see cref="CallerIdentity"/>: <c>v1.{payload}.{signature}</c>, base64url,
/// ECDSA P-256 with SHA-256. Asymmetric on purpose: services hold only the public key, so a
/// compromised service still cannot mint identities for other apps.
/// </summary>
public static class IdentityToken
{
    public const string Header = "X-Billing-Identity";
    private const string Version = "v1";

    /// <summary>Clock skew tolerated between the gateway and a service.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    public static string Sign(CallerIdentity identity, ECDsa signingKey)
    {
        var payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(identity, JsonDefaults.Options));
        var signed = $"{Version}.{payload}";
        var signature = signingKey.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256);
        return $"{signed}.{Base64Url(signature)}";
    }

    /// <summary>The identity when the token is well-formed, correctly signed and not expired; else null.</summary>
    public static CallerIdentity? Verify(string? token, ECDsa publicKey, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 16_384) return null;
        var parts = token.Split('.');
        if (parts is not [Version, var payload, var signature]) return null;
        if (!TryFromBase64Url(signature, out var signatureBytes) || !TryFromBase64Url(payload, out var payloadBytes)) return null;
        if (!publicKey.VerifyData(Encoding.ASCII.GetBytes($"{Version}.{payload}"), signatureBytes, HashAlgorithmName.SHA256)) return null;
        try
        {
            var identity = JsonSerializer.Deserialize<CallerIdentity>(payloadBytes, JsonDefaults.Options);
            return identity is not null && identity.ExpiresAt + ClockSkew > now ? identity : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A new P-256 key pair as base64 (PKCS#8 private, SubjectPublicKeyInfo public).</summary>
    public static (string SigningKey, string PublicKey) NewKeyPair()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return (Convert.ToBase64String(key.ExportPkcs8PrivateKey()), Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()));
    }

    public static ECDsa ImportSigningKey(string base64)
    {
        var key = ECDsa.Create();
        key.ImportPkcs8PrivateKey(Convert.FromBase64String(base64), out _);
        return key;
    }

    public static ECDsa ImportPublicKey(string base64)
    {
        var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(base64), out _);
        return key;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryFromBase64Url(string text, out byte[] bytes)
    {
        var base64 = text.Replace('-', '+').Replace('_', '/');
        base64 += (base64.Length % 4) switch { 2 => "==", 3 => "=", _ => "" };
        bytes = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64, bytes, out var written)) return false;
        bytes = bytes[..written];
        return true;
    }
}
