using System.Net;
using System.Net.Http.Headers;

namespace Billing.Stripe;

/// <summary>A raw answer from Stripe, for callers that need headers or the body as sent.</summary>
public sealed record StripeResponse(HttpStatusCode StatusCode, HttpResponseHeaders Headers, string Body)
{
    /// <summary>The <c>Request-Id</c> header.</summary>
    public string? RequestId => Header("Request-Id");

    /// <summary>True when Stripe replayed a saved answer for a reused idempotency key.</summary>
    public bool IdempotentReplayed => string.Equals(Header("Idempotent-Replayed"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>How many attempts this answer took (1 when the first attempt succeeded).</summary>
    public int Attempts { get; init; } = 1;

    /// <summary>The first value of a response header, or null.</summary>
    public string? Header(string name) =>
        Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
