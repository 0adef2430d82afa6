using System.Text.Json.Serialization;
using Billing.Catalog.Model;

namespace Billing.Catalog.Apis;

/// <summary>The <c>stripe</c> field of a plan or product; <c>error</c> says why the last sync failed.</summary>
public sealed record CatalogStripe(
    string? ProductId, StripeSyncStatus SyncStatus, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error)
{
    public static CatalogStripe Of(CatalogItem item) => new(item.StripeProductId, item.StripeSyncStatus, item.StripeSyncError);
}

public sealed record PlanPriceResponse(string Id, BillingInterval Interval, long AmountCents, string Currency, bool Active);

/// <summary>A plan as API.md shows it; separate from the entity so the table can change freely.</summary>
public sealed record PlanResponse(
    string Id, string Name, string? Description, IReadOnlyList<string> Features, IReadOnlyDictionary<string, long> Limits,
    int TrialDays, long PriceCents, BillingInterval Interval, string Currency, IReadOnlyList<PlanPriceResponse> Prices, bool Active,
    IReadOnlyDictionary<string, string> Metadata, CatalogStripe Stripe, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static PlanResponse From(Plan plan)
    {
        // Every plan keeps an active price (create needs one, updates only replace); the fallback guards a hand-edited row.
        var shown = plan.ShownPrice ?? plan.Prices.OrderByDescending(p => p.Id, StringComparer.Ordinal).FirstOrDefault();
        return new(plan.Id, plan.Name, plan.Description, plan.Features, plan.Limits, plan.TrialDays, shown?.AmountCents ?? 0,
            shown?.Interval ?? BillingInterval.Month, shown?.Currency ?? "usd",
            plan.Prices.OrderBy(p => p.Id, StringComparer.Ordinal)
                .Select(p => new PlanPriceResponse(p.Id, p.Interval ?? BillingInterval.Month, p.AmountCents, p.Currency, p.Active)).ToList(),
            plan.Active, plan.Metadata, CatalogStripe.Of(plan), plan.CreatedAt, plan.UpdatedAt);
    }
}
