namespace Billing.Catalog.Model;

public enum BillingInterval { Month, Year }

public enum StripeSyncStatus { Pending, Synced, Failed }

/// <summary>A recurring plan an app sells. Money in minor units with a lower-case ISO currency.</summary>
public sealed class Plan
{
    public required string Id { get; init; }
    public required string AppId { get; init; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public long PriceCents { get; set; }
    public string Currency { get; set; } = "usd";
    public BillingInterval Interval { get; set; } = BillingInterval.Month;
    public List<string> Features { get; set; } = [];
    public Dictionary<string, long> Limits { get; set; } = [];
    public int TrialDays { get; set; }
    public bool Active { get; set; } = true;
    public Dictionary<string, string> Metadata { get; set; } = [];
    public string? StripeProductId { get; set; }
    public StripeSyncStatus StripeSyncStatus { get; set; } = StripeSyncStatus.Pending;
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
    public DateTimeOffset UpdatedAt { get; set; } = DateTimeOffset.UtcNow;
}
