using System.ComponentModel.DataAnnotations;

namespace Billing.Catalog;

/// <summary>The Catalog's own settings (section <c>Catalog</c>), all optional.</summary>
public sealed class CatalogOptions
{
    public const string Section = "Catalog";

    /// <summary>How often failed syncs, and syncs pending longer than this, are asked for again.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan SyncRetryInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>At most this many plans and this many products are asked for again per round.</summary>
    [Range(1, 1000)]
    public int SyncRetryBatch { get; set; } = 50;

    /// <summary>Whether this process makes sure the platform app's tiers exist at start.</summary>
    public bool SeedPlatformTiers { get; set; } = true;
}
