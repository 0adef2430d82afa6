using System.Collections.Frozen;
using Billing.ServiceDefaults.Caching;
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

    private readonly PerAppCache<FrozenDictionary<string, CatalogPlan>> _byApp = new(Ttl);

    /// <summary>The app's plans by id, each with all its prices.</summary>
    public async Task<IReadOnlyDictionary<string, CatalogPlan>> OfAsync(SubscriptionsDbContext db, string appId, CancellationToken ct) =>
        await _byApp.GetAsync(appId, async token =>
            (await db.Plans.AsNoTracking().Include(p => p.Prices).Where(p => p.AppId == appId).ToListAsync(token))
                .ToFrozenDictionary(p => p.Id, StringComparer.Ordinal), ct);

    /// <summary>After this process committed a change to a plan of <paramref name="appId"/>: the next call reads them again.</summary>
    public void Forget(string appId) => _byApp.Forget(appId);
}
