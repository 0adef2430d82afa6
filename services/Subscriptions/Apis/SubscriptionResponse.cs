using Billing.Subscriptions.Model;

namespace Billing.Subscriptions.Apis;

public sealed record SubscriptionStripe(string? SubscriptionId, string? CustomerId);

public sealed record SubscriptionResponse(
    string Id, string CustomerId, string PlanId, string PriceId, string Interval, int Quantity, SubscriptionStatus Status,
    DateTimeOffset? CurrentPeriodStart, DateTimeOffset? CurrentPeriodEnd, bool CancelAtPeriodEnd, DateTimeOffset? CanceledAt,
    DateTimeOffset? TrialEnd, SubscriptionStripe Stripe)
{
    public static SubscriptionResponse From(Subscription s) => new(
        s.Id, s.CustomerId, s.PlanId, s.PriceId, s.Interval, s.Quantity, s.Status, s.CurrentPeriodStart, s.CurrentPeriodEnd,
        s.CancelAtPeriodEnd, s.CanceledAt, s.TrialEnd, new SubscriptionStripe(s.StripeSubscriptionId, s.StripeCustomerId));
}
