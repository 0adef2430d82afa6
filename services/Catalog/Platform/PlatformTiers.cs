using Billing.Catalog.Model;
using Billing.Contracts;

namespace Billing.Catalog.Platform;

/// <summary>
/// The platform app's plans: the tiers developers buy. Fixed ids (<c>plan_platform_starter</c>,
/// <c>price_platform_starter_year</c>), so seeding is idempotent and other services can name them.
/// Free has a $0 monthly price: it needs no checkout, but a Stripe price lets a subscription or the
/// portal move a developer down to it like to any other tier.
/// </summary>
public static class PlatformTiers
{
    private const long GiB = 1L << 30;

    private sealed record Tier(string Name, string Title, long MonthlyCents, long? YearlyCents, string[] Features,
        long StorageBytes, long AiTokens, long LambdaInvocations, long BandwidthBytes);

    private static readonly Tier[] All =
    [
        new("free", "Free", 0, null, ["1 app", "Community support"], 1 * GiB, 100_000, 100_000, 5 * GiB),
        new("starter", "Starter", 1_900, 19_000, ["3 apps", "Email support", "Custom domain"], 10 * GiB, 1_000_000, 1_000_000, 50 * GiB),
        new("pro", "Pro", 4_900, 49_000, ["10 apps", "Priority support", "Custom domain", "Team members"],
            100 * GiB, 10_000_000, 10_000_000, 500 * GiB),
        new("business", "Business", 19_900, 199_000, ["Unlimited apps", "Dedicated support", "Custom domain", "Team members", "SSO"],
            1_000 * GiB, 100_000_000, 100_000_000, 5_000 * GiB),
    ];

    public static string PlanId(string tier) => $"plan_platform_{tier}";

    public static IReadOnlyList<string> PlanIds => All.Select(t => PlanId(t.Name)).ToList();

    /// <summary>The tiers as new plans of the platform app, ready to be added.</summary>
    public static IEnumerable<Plan> NewPlans(DateTimeOffset now) => All.Select(tier =>
    {
        var plan = new Plan
        {
            Id = PlanId(tier.Name), AppId = PlatformApp.Id, Name = tier.Title, Description = $"The platform's {tier.Title} tier.",
            Features = [.. tier.Features],
            Limits = new()
            {
                ["storage_bytes"] = tier.StorageBytes, ["ai_tokens"] = tier.AiTokens,
                ["lambda_invocations"] = tier.LambdaInvocations, ["bandwidth_bytes"] = tier.BandwidthBytes,
            },
            Metadata = new() { [PlatformApp.TierKey] = tier.Name },
            CreatedAt = now, UpdatedAt = now, SyncRequestedAt = now,
        };
        plan.Prices.Add(NewPrice(tier.Name, BillingInterval.Month, tier.MonthlyCents, now));
        if (tier.YearlyCents is { } yearly) plan.Prices.Add(NewPrice(tier.Name, BillingInterval.Year, yearly, now));
        return plan;
    });

    private static Price NewPrice(string tier, BillingInterval interval, long cents, DateTimeOffset now) => new()
    {
        Id = $"price_platform_{tier}_{(interval == BillingInterval.Month ? "month" : "year")}",
        AppId = PlatformApp.Id, Interval = interval, AmountCents = cents, Currency = "usd", CreatedAt = now,
    };
}
