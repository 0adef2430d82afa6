using Billing.Catalog.Infrastructure;
using Billing.Catalog.Model;
using Billing.Catalog.StripeSync;
using Billing.ServiceDefaults.Api;
using Billing.ServiceDefaults.Errors;
using Billing.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;

namespace Billing.Catalog.Apis;

/// <summary>
/// What the plan and product routes do alike, so <see cref="PlansApi"/> and <see cref="ProductsApi"/> hold
/// only what differs (routes, requests, responses). Reads: the public catalog (publishable key) sees only
/// what can be bought. Writes: the request validates and applies itself, then the change and its outbox
/// messages (the new state, and the Stripe sync when Stripe must follow) are staged in one SaveChanges.
/// </summary>
public static class CatalogItemEndpoints
{
    /// <summary>
    /// The app's items, oldest first, cursor-paged: active ones, and archived ones too when a secret key asks
    /// with <c>includeArchived</c>; the public catalog gets active items whose Stripe product and prices exist.
    /// </summary>
    public static Task<Page<TItem>> ListAsync<TItem>(
        CatalogDbContext db, string appId, HttpContext http, int? limit, string? startingAfter, bool includeArchived, CancellationToken ct)
        where TItem : CatalogItem
    {
        var page = PageRequest.From(limit, startingAfter);
        var query = db.Set<TItem>().AsNoTracking().Include(i => i.Prices).Where(i => i.AppId == appId);
        if (!http.Caller().HasScope("catalog:read")) query = query.Where(i => i.Active && i.StripeSyncStatus == StripeSyncStatus.Synced);
        else if (!includeArchived) query = query.Where(i => i.Active);
        return query.ToPageAsync(page, i => i.Id, ct);
    }

    /// <summary>The app's item; what cannot be bought exists only for secret keys (404 for the public catalog).</summary>
    public static async Task<TItem> GetAsync<TItem>(CatalogDbContext db, string appId, string id, HttpContext http, CancellationToken ct)
        where TItem : CatalogItem
    {
        var item = await db.Set<TItem>().AsNoTracking().Include(i => i.Prices).SingleOrDefaultAsync(i => i.AppId == appId && i.Id == id, ct);
        if (item is null || (!item.Sellable && !http.Caller().HasScope("catalog:read"))) throw NotFound<TItem>();
        return item;
    }

    /// <summary>Saves a new item (already validated by its request) with its first state and Stripe sync staged.</summary>
    public static async Task<TItem> CreateAsync<TItem>(CatalogDbContext db, TItem item, CancellationToken ct) where TItem : CatalogItem
    {
        db.Set<TItem>().Add(item);
        db.StageChanged(item, sync: true);
        await db.SaveChangesAsync(ct);
        return item;
    }

    /// <summary>
    /// Applies <paramref name="change"/> (it validates, changes the item, and says whether anything changed and
    /// whether Stripe must follow) under the item's row lock, so it never acts on a state a sync is replacing.
    /// </summary>
    public static async Task<TItem> ChangeAsync<TItem>(
        CatalogDbContext db, string appId, string id, Func<TItem, DateTimeOffset, (bool Sync, bool Changed)> change, CancellationToken ct)
        where TItem : CatalogItem
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (!await db.LockAsync<TItem>(appId, id, ct)) throw NotFound<TItem>();
        var item = await db.Set<TItem>().Include(i => i.Prices).SingleAsync(i => i.AppId == appId && i.Id == id, ct);
        var now = DateTimeOffset.UtcNow;
        var (sync, changed) = change(item, now);
        if (changed)
        {
            item.Changed(now, sync);
            db.StageChanged(item, sync);
            await db.SaveChangesAsync(ct);
        }
        await transaction.CommitAsync(ct);
        return item;
    }

    /// <summary>The change that archives: no new sales, and the Stripe product turns inactive (nothing when already archived).</summary>
    public static (bool Sync, bool Changed) Archive(CatalogItem item, DateTimeOffset now)
    {
        if (!item.Active) return (false, false);
        item.Active = false;
        return (true, true);
    }

    // "The plan", "The product": the error names the resource as its route does.
    private static ApiException NotFound<TItem>() => ApiException.NotFound($"The {typeof(TItem).Name.ToLowerInvariant()}");
}
