using Billing.Catalog.Model;
using Microsoft.EntityFrameworkCore;

namespace Billing.Catalog.Infrastructure;

/// <summary>
/// Row locks that serialize every writer of one plan or product (API changes and Stripe syncs, in any
/// replica): each reads the row after the lock, so none acts on a state another is about to replace.
/// Must run inside a transaction; held until it ends.
/// </summary>
public static class CatalogLocks
{
    /// <summary>Locks the <typeparamref name="TItem"/> row <paramref name="itemId"/> of <paramref name="appId"/>; false when there is none.</summary>
    public static async Task<bool> LockAsync<TItem>(this CatalogDbContext db, string appId, string itemId, CancellationToken ct)
        where TItem : CatalogItem
    {
        var locked = typeof(TItem) == typeof(Product)
            ? await db.Database.SqlQuery<string>($"""select id as "Value" from catalog.products where id = {itemId} and app_id = {appId} for update""").ToListAsync(ct)
            : await db.Database.SqlQuery<string>($"""select id as "Value" from catalog.plans where id = {itemId} and app_id = {appId} for update""").ToListAsync(ct);
        return locked.Count == 1;
    }
}
