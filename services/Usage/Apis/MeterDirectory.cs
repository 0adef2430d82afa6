using System.Collections.Frozen;
using Billing.ServiceDefaults.Caching;
using Billing.Usage.Infrastructure;
using Billing.Usage.Model;
using Microsoft.EntityFrameworkCore;

namespace Billing.Usage.Apis;

/// <summary>
/// The meters of each app (the platform's and its own), kept in memory for <see cref="Ttl"/>: the entitlement
/// check and ingestion need them on every call, and a query per call was the largest part of the check's time
/// (issue 15). A meter this process creates is visible here at once (<see cref="Forget"/>); one created
/// through another instance of the service within <see cref="Ttl"/>. Meters are never changed or deleted, so
/// that delay is the only staleness. The cached meters are shared: callers must not modify them.
/// </summary>
public sealed class MeterDirectory(IServiceScopeFactory scopes)
{
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(5);

    private readonly PerAppCache<FrozenDictionary<string, Meter>> _byApp = new(Ttl);

    /// <summary>The platform's meters and the app's own, by key.</summary>
    public async Task<IReadOnlyDictionary<string, Meter>> OfAsync(string appId, CancellationToken ct) =>
        await _byApp.GetAsync(appId, async token =>
        {
            // A DbContext only on a miss: creating one per call cost the check as much as the rest of its work in Usage.
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<UsageDbContext>();
            return (await db.Meters.AsNoTracking().Where(m => m.AppId == null || m.AppId == appId).ToListAsync(token))
                .ToFrozenDictionary(m => m.Key, StringComparer.Ordinal);
        }, ct);

    /// <summary>After this process created a meter of <paramref name="appId"/>: the next call reads them again.</summary>
    public void Forget(string appId) => _byApp.Forget(appId);
}
