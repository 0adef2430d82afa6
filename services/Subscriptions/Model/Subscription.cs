namespace Billing.Subscriptions.Model;

/// <summary>Stripe's subscription states, as API.md lists them.</summary>
public enum SubscriptionStatus { Incomplete, Trialing, Active, PastDue, Canceled, Unpaid, IncompleteExpired }

/// <summary>A customer's subscription to a plan, mirrored from Stripe.</summary>
public sealed class Subscription
{
    public required string Id { get; init; }
    public required string AppId { get; init; }
    public required string CustomerId { get; init; }
    public required string PlanId { get; set; }
    public required string PriceId { get; set; }
    public string Interval { get; set; } = "month";
    public int Quantity { get; set; } = 1;
    public SubscriptionStatus Status { get; set; } = SubscriptionStatus.Incomplete;
    public DateTimeOffset? CurrentPeriodStart { get; set; }
    public DateTimeOffset? CurrentPeriodEnd { get; set; }
    public bool CancelAtPeriodEnd { get; set; }
    public DateTimeOffset? CanceledAt { get; set; }
    public DateTimeOffset? TrialEnd { get; set; }
    public string? StripeSubscriptionId { get; set; }
    public string? StripeCustomerId { get; set; }
    /// <summary>Grows with every applied change; carried by SubscriptionChanged so consumers keep the newest.</summary>
    public long Version { get; set; }
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
    public DateTimeOffset UpdatedAt { get; set; } = DateTimeOffset.UtcNow;

    /// <summary>Not ended: still the customer's current subscription.</summary>
    public bool IsCurrent => Status is not (SubscriptionStatus.Canceled or SubscriptionStatus.IncompleteExpired);
}
