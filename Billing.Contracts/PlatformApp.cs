namespace Billing.Contracts;

/// <summary>
/// The platform itself is an app: developers are its customers (a customer's external id is the
/// developer account id) and its plans are the platform tiers. Seeded by the gateway's and the
/// Catalog's first migrations.
/// </summary>
public static class PlatformApp
{
    public const string Id = "app_platform";

    /// <summary>The metadata key on a platform plan that names its tier.</summary>
    public const string TierKey = "tier";

    /// <summary>The tiers, cheapest first; <c>free</c> needs no checkout.</summary>
    public static readonly IReadOnlyList<string> Tiers = ["free", "starter", "pro", "business"];
}
