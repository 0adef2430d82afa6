namespace Billing.Stripe;

/// <summary>Per-call settings that are not parameters of the resource.</summary>
public sealed record RequestOptions
{
    /// <summary>
    /// Runs the call as this connected account (<c>Stripe-Account: acct_...</c>).
    /// </summary>
    public string? StripeAccount { get; init; }

    /// <summary>
    /// Idempotency key for a POST. Give a natural key (for example from
    /// <see cref="IdempotencyKeys.From"/>) so that a repeat of the same business operation, even
    /// from another process, cannot act twice. Without one, the client generates a key that is
    /// reused for its own retries of this call only.
    /// </summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>Fields to expand, sent as <c>expand[]=...</c> (e.g. <c>line_items</c>, <c>data.customer</c>).</summary>
    public IReadOnlyList<string>? Expand { get; init; }

    /// <summary>Overrides <see cref="StripeOptions.ApiVersion"/> for this call.</summary>
    public string? ApiVersion { get; init; }

    /// <summary>Overrides <see cref="StripeOptions.MaxNetworkRetries"/> for this call.</summary>
    public int? MaxNetworkRetries { get; init; }
}
