using System.ComponentModel.DataAnnotations;

namespace Billing.Gateway.RateLimiting;

/// <summary>Section <c>Gateway:RateLimit</c>: requests each caller may make per window, shared by all gateway replicas.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "Gateway:RateLimit";

    /// <summary>Requests per window for a key, unless its app has its own limit.</summary>
    [Range(1, 10_000_000)]
    public int Limit { get; set; } = 1000;

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}
