using Billing.ServiceDefaults.Api;

namespace Billing.Catalog.Model;

public enum StripeSyncStatus { Pending, Synced, Failed }

/// <summary>
/// What plans and products share: a Stripe product, prices, a sync state and a version. One base so
/// one sync path serves both.
/// </summary>
public abstract class CatalogItem
{
    public required string Id { get; init; }
    public required string AppId { get; init; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public bool Active { get; set; } = true;
    public Dictionary<string, string> Metadata { get; set; } = [];
    public List<Price> Prices { get; set; } = [];
    public string? StripeProductId { get; set; }
    public StripeSyncStatus StripeSyncStatus { get; set; } = StripeSyncStatus.Pending;
    /// <summary>Why the last sync failed (Stripe's message), shown as <c>stripe.error</c>.</summary>
    public string? StripeSyncError { get; set; }
    /// <summary>When a sync was last asked for: the sweeper asks again for syncs pending or failed since long before.</summary>
    public DateTimeOffset SyncRequestedAt { get; set; } = DateTimeOffset.UtcNow;
    /// <summary>Grows with every change; carried by PlanChanged/ProductChanged so consumers keep the newest.</summary>
    public long Version { get; set; } = 1;
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
    public DateTimeOffset UpdatedAt { get; set; } = DateTimeOffset.UtcNow;

    /// <summary>Only an active item whose Stripe product and prices exist can be sold.</summary>
    public bool Sellable => Active && StripeSyncStatus == StripeSyncStatus.Synced;

    /// <summary>Records a change; <paramref name="needsSync"/> when Stripe must follow (name, description, active, prices).</summary>
    public void Changed(DateTimeOffset now, bool needsSync)
    {
        UpdatedAt = now;
        Version++;
        if (!needsSync) return;
        StripeSyncStatus = StripeSyncStatus.Pending;
        SyncRequestedAt = now;
    }

    public void Synced(DateTimeOffset now)
    {
        StripeSyncStatus = StripeSyncStatus.Synced;
        StripeSyncError = null;
        UpdatedAt = now;
        Version++;
    }

    public void SyncFailed(string reason)
    {
        StripeSyncStatus = StripeSyncStatus.Failed;
        StripeSyncError = reason.Length <= 500 ? reason : reason[..500];
    }

    /// <summary>
    /// Makes <paramref name="amountCents"/> the active price for <paramref name="interval"/> (null: one-time).
    /// The same amount and currency keep the current price; another makes a new one and retires the old,
    /// which stays for the subscribers already on it. Returns whether anything changed.
    /// </summary>
    public bool SetPrice(BillingInterval? interval, long amountCents, string currency, DateTimeOffset now)
    {
        var current = Prices.FirstOrDefault(p => p.Active && p.Interval == interval);
        if (current is not null && current.AmountCents == amountCents && current.Currency == currency) return false;
        if (current is not null) current.Active = false;
        Prices.Add(new Price
        {
            Id = Ids.New("price"), AppId = AppId, Interval = interval, AmountCents = amountCents, Currency = currency, CreatedAt = now,
        });
        return true;
    }
}
