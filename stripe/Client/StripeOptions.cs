using System.ComponentModel.DataAnnotations;

namespace Billing.Stripe;

/// <summary>
/// How services reach Stripe, bound from the <c>Stripe</c> configuration section
/// (environment: <c>Stripe__SecretKey</c>, <c>Stripe__ApiBase</c>).
/// </summary>
public sealed class StripeOptions
{
    public const string SectionName = "Stripe";

    /// <summary>Secret (<c>sk_</c>) or restricted (<c>rk_</c>) key. Required; never logged.</summary>
    [Required(ErrorMessage = "Stripe:SecretKey is required (environment variable Stripe__SecretKey).")]
    public string SecretKey { get; set; } = "";

    /// <summary>Base address of the API: Stripe's by default, the sandbox's locally and in tests.</summary>
    [Required(ErrorMessage = "Stripe:ApiBase must not be empty.")]
    [Url(ErrorMessage = "Stripe:ApiBase must be an absolute http(s) URL.")]
    public string ApiBase { get; set; } = global::Stripe.StripeClient.DefaultApiBase;

    /// <summary>
    /// Retries after the first attempt, made by the resilience handler (the one retry layer; see
    /// <see cref="StripeServiceCollectionExtensions.AddStripeClient"/>). Tests set 0 to fail fast.
    /// </summary>
    [Range(0, 10, ErrorMessage = "Stripe:MaxNetworkRetries must be between 0 and 10.")]
    public int MaxNetworkRetries { get; set; } = 2;
}
