using System.Collections.Concurrent;
using System.Collections.Frozen;
using Billing.Subscriptions.Infrastructure;
using Billing.Subscriptions.Model;
using Microsoft.EntityFrameworkCore;

namespace Billing.Subscriptions.Plans;

/// <summary>
/// Each app's projected plans with their prices, kept in memory for <see cref="Ttl"/>: every checkout and every
/// consumed subscription event resolves a plan or a price, and the projection changes only when Catalog announces
/// a plan (issue 12: a query per checkout and per event for data that changes a few times a day). A plan change
/// this process consumes is visible at once (<see cref="Forget"/>, after its commit); one consumed by another
/// instance of the service within <see cref="Ttl"/>, the same order of delay as the bus that carried it. The
/// cached plans are shared: callers must not modify them.
/// </summary>
public sealed class PlanCache
{
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(5);

    private sealed record Entry(FrozenDictionary<string, CatalogPlan> Plans, long LoadedAt);

    private readonly ConcurrentDictionary<string, Entry> _byApp = new(StringComparer.Ordinal);

    // Bumped by every Forget: a load that started before it must not store what it read (it may predate the change).
    private long _generation;

    /// <summary>The app's plans by id, each with all its prices.</summary>
    public async Task<IReadOnlyDictionary<string, CatalogPlan>> OfAsync(SubscriptionsDbContext db, string appId, CancellationToken ct)
    {
        // Elapsed time, not the service's TimeProvider: tests move that one, and the cache must still expire.
        var now = Environment.TickCount64;
        if (_byApp.TryGetValue(appId, out var cached) && now - cached.LoadedAt < (long)Ttl.TotalMilliseconds) return cached.Plans;
        var generation = Interlocked.Read(ref _generation);
        var plans = (await db.Plans.AsNoTracking().Include(p => p.Prices).Where(p => p.AppId == appId).ToListAsync(ct))
            .ToFrozenDictionary(p => p.Id, StringComparer.Ordinal);
        if (Interlocked.Read(ref _generation) == generation) _byApp[appId] = new Entry(plans, now);
        return plans;
    }

    /// <summary>After this process committed a change to a plan of <paramref name="appId"/>: the next call reads them again.</summary>
    public void Forget(string appId)
    {
        Interlocked.Increment(ref _generation);
        _byApp.TryRemove(appId, out _);
    }
}
