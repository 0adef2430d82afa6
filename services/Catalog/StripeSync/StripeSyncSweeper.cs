using Billing.Catalog.Infrastructure;
using Billing.Catalog.Model;
using Billing.ServiceDefaults.Hosting;
using Billing.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Billing.Catalog.StripeSync;

/// <summary>
/// Asks again, every <see cref="CatalogOptions.SyncRetryInterval"/>, for the syncs that failed or have
/// been pending longer than that (a message dead-lettered, Stripe down for long), so a sync is retried
/// until it is done. Replicas may both ask: the consumer's row lock makes the second copy a no-op.
/// </summary>
public sealed class StripeSyncSweeper(IServiceScopeFactory scopes, IOptions<CatalogOptions> options, ILogger<StripeSyncSweeper> logger)
    : PeriodicWork(logger)
{
    protected override TimeSpan Interval => options.Value.SyncRetryInterval;
    // Nothing can be overdue before one interval has passed: a sync is due only once it has waited that long.
    protected override bool RunsAtStart => false;
    protected override Task RunOnceAsync(CancellationToken ct) => SweepAsync(ct);

    /// <summary>Stages a sync for each due item; returns how many.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        var now = DateTimeOffset.UtcNow;
        var due = now - options.Value.SyncRetryInterval;
        var batch = options.Value.SyncRetryBatch;
        var items = new List<CatalogItem>();
        items.AddRange(await db.Plans.Where(p => p.StripeSyncStatus != StripeSyncStatus.Synced && p.SyncRequestedAt < due)
            .OrderBy(p => p.SyncRequestedAt).Take(batch).ToListAsync(ct));
        items.AddRange(await db.Products.Where(p => p.StripeSyncStatus != StripeSyncStatus.Synced && p.SyncRequestedAt < due)
            .OrderBy(p => p.SyncRequestedAt).Take(batch).ToListAsync(ct));
        foreach (var item in items)
        {
            item.SyncRequestedAt = now;
            db.AddOutboxMessage(new StripeSyncRequested(Guid.NewGuid(), now, item.AppId, item.Id));
        }
        await db.SaveChangesAsync(ct);
        return items.Count;
    }
}
