using System.ComponentModel.DataAnnotations;

namespace Billing.Stripe.Webhooks;

/// <summary>
/// Webhook signing secrets, bound from the <c>Stripe</c> section
/// (<c>Stripe__WebhookSecrets__0</c>, <c>Stripe__ConnectWebhookSecrets__0</c>, ...). Several
/// secrets per list keep events verifiable while a secret is being rolled.
/// </summary>
public sealed class StripeWebhookOptions : IValidatableObject
{
    /// <summary>Secrets (<c>whsec_</c>) of the endpoint for the platform account's own events.</summary>
    public List<string> WebhookSecrets { get; set; } = [];

    /// <summary>Secrets of the endpoint that receives connected accounts' events.</summary>
    public List<string> ConnectWebhookSecrets { get; set; } = [];

    /// <summary>How far a signature's timestamp may be from now; zero disables the check.</summary>
    public TimeSpan WebhookTolerance { get; set; } = StripeWebhookVerifier.DefaultTolerance;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (WebhookSecrets.Count(s => !string.IsNullOrWhiteSpace(s)) == 0)
            yield return new ValidationResult(
                "Stripe:WebhookSecrets needs at least one secret (environment variable Stripe__WebhookSecrets__0).",
                [nameof(WebhookSecrets)]);
        if (WebhookTolerance < TimeSpan.Zero)
            yield return new ValidationResult("Stripe:WebhookTolerance cannot be negative.", [nameof(WebhookTolerance)]);
    }
}
