using System.ComponentModel.DataAnnotations;

namespace Billing.Stripe;

/// <summary>
/// Settings for <see cref="StripeClient"/>, bound from the <c>Stripe</c> configuration section
/// (environment: <c>Stripe__SecretKey</c>, <c>Stripe__ApiBase</c>, ...).
/// </summary>
public sealed class StripeOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Stripe";

    /// <summary>
    /// The API version this client's models are written against. Pinned so that a change of the
    /// account's default version on Stripe's side cannot silently change response shapes.
    /// </summary>
    public const string DefaultApiVersion = "2026-10-28.endive";

    /// <summary>Secret (<c>sk_</c>) or restricted (<c>rk_</c>) key. Required.</summary>
    [Required(ErrorMessage = "Stripe:SecretKey is required (environment variable Stripe__SecretKey).")]
    public string SecretKey { get; set; } = "";

    /// <summary>Base address of the API; point it at the sandbox for local runs and tests.</summary>
    [Required(ErrorMessage = "Stripe:ApiBase must not be empty.")]
    [Url(ErrorMessage = "Stripe:ApiBase must be an absolute http(s) URL.")]
    public string ApiBase { get; set; } = "https://api.stripe.com";

    /// <summary>Sent as <c>Stripe-Version</c> on every request.</summary>
    [Required(ErrorMessage = "Stripe:ApiVersion must not be empty.")]
    public string ApiVersion { get; set; } = DefaultApiVersion;

    /// <summary>How many times a failed request is retried (not counting the first attempt).</summary>
    [Range(0, 10, ErrorMessage = "Stripe:MaxNetworkRetries must be between 0 and 10.")]
    public int MaxNetworkRetries { get; set; } = 2;

    /// <summary>Time allowed for one attempt, from sending to the end of the response body.</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "00:10:00", ErrorMessage = "Stripe:RequestTimeout must be between 0.1 s and 10 min.")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(80);

    /// <summary>Time allowed to open a TCP connection.</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "00:05:00", ErrorMessage = "Stripe:ConnectTimeout must be between 0.1 s and 5 min.")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Backoff before the first retry; doubled for each further retry, then jittered.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00", ErrorMessage = "Stripe:InitialRetryDelay must be between 0 and 1 min.")]
    public TimeSpan InitialRetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Upper bound for the computed backoff.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00", ErrorMessage = "Stripe:MaxRetryDelay must be between 0 and 5 min.")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Upper bound for a server's <c>Retry-After</c>; a longer wait is cut to this so a request
    /// cannot hang on a misbehaving server.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00", ErrorMessage = "Stripe:MaxRetryAfter must be between 0 and 10 min.")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);
}
