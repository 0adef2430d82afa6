using Billing.Catalog.Model;
using Billing.ServiceDefaults.Api;

namespace Billing.Catalog.Apis;

/// <summary>The fields of a plan that create and update share, and their checks.</summary>
public static class PlanFieldRules
{
    public static Validation PlanFields(this Validation validation, string? description, IReadOnlyList<string>? features,
        IReadOnlyDictionary<string, long>? limits, int? trialDays, IReadOnlyDictionary<string, string>? metadata) => validation
        .Text(description, "description", 1000, required: false)
        .Check(features is null || (features.Count <= 50 && features.All(f => f is { Length: > 0 and <= 200 })), "features",
            "features has at most 50 entries of 1 to 200 characters.")
        .Check(limits is null || (limits.Count <= 50 && limits.All(l => l.Key.Length is > 0 and <= 64 && l.Value >= 0)), "limits",
            "limits maps at most 50 meter keys to non-negative integers.")
        .Check(trialDays is null or (>= 0 and <= 730), "trialDays", "trialDays must be from 0 to 730.")
        .Metadata(metadata);

    /// <summary>All active prices of a plan are in one currency, as a Stripe subscription's items must be.</summary>
    public static Validation OneCurrency(this Validation validation, IEnumerable<string> currencies) =>
        validation.Check(currencies.Distinct().Count() <= 1, "currency", "All prices of a plan use one currency.");
}

/// <summary>The body of <c>POST /v1/{appId}/billing/plans</c>: the Butterbase shorthand and/or <c>prices[]</c>.</summary>
public sealed record CreatePlanRequest(
    string? Name, string? Description, long? PriceCents, BillingInterval? Interval, string? Currency, IReadOnlyList<PriceRequest?>? Prices,
    IReadOnlyList<string>? Features, IReadOnlyDictionary<string, long>? Limits, int? TrialDays, IReadOnlyDictionary<string, string>? Metadata)
{
    public Plan ToPlan(string appId)
    {
        var validation = new Validation().Text(Name, "name", 200).PlanFields(Description, Features, Limits, TrialDays, Metadata);
        var prices = PlanPriceRules.Collect(validation, PriceCents, Interval, Currency, Prices, defaultInterval: null, "usd");
        validation.Check(PriceCents is not null || Prices is not null, "priceCents", "priceCents and interval, or prices, are required.")
            .OneCurrency(prices.Select(p => p.Currency))
            .ThrowIfInvalid();

        var now = DateTimeOffset.UtcNow;
        var plan = new Plan
        {
            Id = Ids.New("plan"), AppId = appId, Name = Name!.Trim(), Description = Description,
            Features = Features?.ToList() ?? [], Limits = Limits?.ToDictionary() ?? [], TrialDays = TrialDays ?? 0,
            Metadata = Metadata?.ToDictionary() ?? [], CreatedAt = now, UpdatedAt = now, SyncRequestedAt = now,
        };
        foreach (var price in prices) plan.SetPrice(price.Interval, price.AmountCents, price.Currency, now);
        return plan;
    }
}

/// <summary>The body of <c>PUT /v1/{appId}/billing/plans/{planId}</c>: what is given changes, the rest stays.</summary>
public sealed record UpdatePlanRequest(
    string? Name, string? Description, long? PriceCents, BillingInterval? Interval, string? Currency, IReadOnlyList<PriceRequest?>? Prices,
    IReadOnlyList<string>? Features, IReadOnlyDictionary<string, long>? Limits, int? TrialDays, IReadOnlyDictionary<string, string>? Metadata)
{
    /// <summary>Applies the request to <paramref name="plan"/>: whether anything changed, and whether Stripe must follow (name, description, prices).</summary>
    public (bool Sync, bool Changed) ApplyTo(Plan plan, DateTimeOffset now)
    {
        var validation = new Validation().Text(Name, "name", 200, required: Name is not null).PlanFields(Description, Features, Limits, TrialDays, Metadata);
        var shown = plan.ShownPrice;
        var prices = PlanPriceRules.Collect(validation, PriceCents, Interval, Currency, Prices, shown?.Interval, shown?.Currency ?? "usd");
        var after = plan.Prices.Where(p => p.Active && !prices.Any(c => c.Interval == p.Interval)).Select(p => p.Currency)
            .Concat(prices.Select(p => p.Currency));
        validation.OneCurrency(after).ThrowIfInvalid();

        var stripeChange = false;
        if (Name is not null && Name.Trim() != plan.Name) { plan.Name = Name.Trim(); stripeChange = true; }
        if (Description is not null && Description != plan.Description) { plan.Description = Description; stripeChange = true; }
        foreach (var price in prices) stripeChange |= plan.SetPrice(price.Interval, price.AmountCents, price.Currency, now);
        var changed = stripeChange;
        if (Features is not null && !Features.SequenceEqual(plan.Features)) { plan.Features = Features.ToList(); changed = true; }
        if (Limits is not null && !SameMap(Limits, plan.Limits)) { plan.Limits = Limits.ToDictionary(); changed = true; }
        if (TrialDays is not null && TrialDays != plan.TrialDays) { plan.TrialDays = TrialDays.Value; changed = true; }
        if (Metadata is not null && !SameMap(Metadata, plan.Metadata)) { plan.Metadata = Metadata.ToDictionary(); changed = true; }
        return (stripeChange, changed);
    }

    internal static bool SameMap<T>(IReadOnlyDictionary<string, T> a, IReadOnlyDictionary<string, T> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && EqualityComparer<T>.Default.Equals(v, kv.Value));
}
