using Billing.Catalog.Model;
using Billing.ServiceDefaults.Api;

namespace Billing.Catalog.Apis;

/// <summary>The body of <c>POST /v1/{appId}/billing/plans</c>.</summary>
public sealed record CreatePlanRequest(
    string? Name, string? Description, long? PriceCents, BillingInterval? Interval, string? Currency,
    IReadOnlyList<string>? Features, IReadOnlyDictionary<string, long>? Limits, int? TrialDays,
    IReadOnlyDictionary<string, string>? Metadata)
{
    public void Validate() => new Validation()
        .Text(Name, "name", 200)
        .Text(Description, "description", 1000, required: false)
        .Money(PriceCents, "priceCents")
        .Check(Interval is not null, "interval", "interval is required: month or year.")
        .Currency(Currency ?? "usd")
        .Check(Features is null || (Features.Count <= 50 && Features.All(f => f is { Length: > 0 and <= 200 })), "features",
            "features has at most 50 entries of 1 to 200 characters.")
        .Check(Limits is null || Limits.All(l => l.Key.Length is > 0 and <= 64 && l.Value >= 0), "limits",
            "limits maps meter keys to non-negative integers.")
        .Check(TrialDays is null or (>= 0 and <= 730), "trialDays", "trialDays must be from 0 to 730.")
        .Metadata(Metadata)
        .ThrowIfInvalid();

    public Plan ToPlan(string appId) => new()
    {
        Id = Ids.New("plan"),
        AppId = appId,
        Name = Name!.Trim(),
        Description = Description,
        PriceCents = PriceCents!.Value,
        Interval = Interval!.Value,
        Currency = Currency ?? "usd",
        Features = Features?.ToList() ?? [],
        Limits = Limits?.ToDictionary() ?? [],
        TrialDays = TrialDays ?? 0,
        Metadata = Metadata?.ToDictionary() ?? [],
    };
}
