using Billing.Catalog.Model;

namespace Billing.Catalog.Apis;

public sealed record PlanStripe(string? ProductId, StripeSyncStatus SyncStatus);

/// <summary>A plan as API.md shows it; separate from the entity so the table can change freely.</summary>
public sealed record PlanResponse(
    string Id, string Name, string? Description, IReadOnlyList<string> Features, IReadOnlyDictionary<string, long> Limits,
    int TrialDays, long PriceCents, BillingInterval Interval, string Currency, bool Active,
    IReadOnlyDictionary<string, string> Metadata, PlanStripe Stripe, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static PlanResponse From(Plan plan) => new(
        plan.Id, plan.Name, plan.Description, plan.Features, plan.Limits, plan.TrialDays, plan.PriceCents,
        plan.Interval, plan.Currency, plan.Active, plan.Metadata, new PlanStripe(plan.StripeProductId, plan.StripeSyncStatus),
        plan.CreatedAt, plan.UpdatedAt);
}
