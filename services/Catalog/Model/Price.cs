namespace Billing.Catalog.Model;

public enum BillingInterval { Month, Year }

/// <summary>
/// One price of a plan (recurring, with an interval) or of a product (one-time, no interval). Immutable
/// in amount: a new amount is a new price, and the old one is kept inactive for its subscribers.
/// </summary>
public sealed class Price
{
    public required string Id { get; init; }
    public required string AppId { get; init; }
    public string? PlanId { get; init; }
    public string? ProductId { get; init; }
    public BillingInterval? Interval { get; init; }
    public long AmountCents { get; init; }
    public string Currency { get; init; } = "usd";
    public bool Active { get; set; } = true;
    public string? StripePriceId { get; set; }
    /// <summary>True once Stripe has this retired price inactive too.</summary>
    public bool StripeDeactivated { get; set; }
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
}
