using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using Billing.ServiceDefaults.Security;

namespace Billing.Gateway.Auth;

/// <summary>Section <c>Identity</c> as the gateway reads it: the private half of the key pair services verify with.</summary>
public sealed class IdentitySigningOptions : IValidatableObject
{
    [Required(ErrorMessage = "Identity:SigningKey is missing (environment variable Identity__SigningKey): the gateway's ECDSA P-256 private key, base64 PKCS#8; services get its public key as Identity:PublicKey.")]
    public string SigningKey { get; set; } = "";

    public IEnumerable<ValidationResult> Validate(ValidationContext context)
    {
        if (string.IsNullOrEmpty(SigningKey)) yield break;
        string? problem = null;
        try
        {
            using var key = IdentityToken.ImportSigningKey(SigningKey);
            if (key.KeySize != 256) problem = "is not a P-256 key";
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            problem = "is not a base64 PKCS#8 ECDSA private key";
        }
        if (problem is not null)
            yield return new ValidationResult($"Identity:SigningKey (environment variable Identity__SigningKey) {problem}.", [nameof(SigningKey)]);
    }
}
