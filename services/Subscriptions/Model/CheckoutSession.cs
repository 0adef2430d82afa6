namespace Billing.Subscriptions.Model;

public enum CheckoutStatus { Open, Complete, Expired }

/// <summary>A Stripe Checkout Session we opened for a customer and plan; at most one is open per pair.</summary>
public sealed class CheckoutSession
{
    public required string Id { get; init; }
    public required string AppId { get; init; }
    public required string CustomerId { get; init; }
    public required string PlanId { get; init; }
    public required string PriceId { get; init; }
    public int Quantity { get; init; }
    public int? TrialDays { get; init; }
    public required string StripeSessionId { get; init; }
    public required string Url { get; init; }
    public CheckoutStatus Status { get; set; } = CheckoutStatus.Open;
    public DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>Open and still payable: Stripe may not have told us yet that time ran out.</summary>
    public bool IsUsable(DateTimeOffset now) => Status == CheckoutStatus.Open && ExpiresAt > now.AddMinutes(1);
}
