using System.ComponentModel.DataAnnotations;

namespace Billing.ServiceDefaults.Security;

/// <summary>Configuration section <c>Identity</c>: the gateway's public key that services verify callers with.</summary>
public sealed class IdentityOptions
{
    public const string Section = "Identity";

    [Required(ErrorMessage = "Identity:PublicKey is missing (environment variable Identity__PublicKey): the gateway's public key, base64 SubjectPublicKeyInfo.")]
    public string PublicKey { get; set; } = "";
}
