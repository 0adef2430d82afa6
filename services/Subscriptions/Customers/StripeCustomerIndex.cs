using System.Collections.Concurrent;
using Billing.Subscriptions.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Billing.Subscriptions.Customers;

/// <summary>Our customer behind a Stripe customer: the two ids that never change once linked.</summary>
public sealed record LinkedCustomer(string Id, string ExternalId);

/// <summary>
/// Which of our customers a Stripe customer is, remembered in memory: every consumed subscription event asks
/// (issue 12: two queries per event), and the answer never changes once given, because a customer's Stripe
/// customer is recorded once and never replaced, and neither id changes. Only found links are remembered (a
/// Stripe customer not linked yet may be linked a moment later); bounded by <see cref="Capacity"/>, after which it
/// starts over empty, which costs one query per customer seen again.
/// </summary>
public sealed class StripeCustomerIndex
{
    public const int Capacity = 100_000;

    private readonly ConcurrentDictionary<(string AppId, string StripeCustomerId), LinkedCustomer> _links = new();
    private readonly ConcurrentDictionary<string, bool> _appsWithStripeCustomers = new(StringComparer.Ordinal);

    /// <summary>Whether the app has any customer with a Stripe customer (without one, no Stripe subscription is its).</summary>
    public async Task<bool> AppHasAnyAsync(SubscriptionsDbContext db, string appId, CancellationToken ct)
    {
        if (_appsWithStripeCustomers.ContainsKey(appId)) return true;
        if (!await db.Customers.AnyAsync(c => c.AppId == appId && c.StripeCustomerId != null, ct)) return false;
        Remember(_appsWithStripeCustomers, appId, true);
        return true;
    }

    /// <summary>The app's customer linked to <paramref name="stripeCustomerId"/>, or null.</summary>
    public async Task<LinkedCustomer?> FindAsync(SubscriptionsDbContext db, string appId, string stripeCustomerId, CancellationToken ct)
    {
        if (_links.TryGetValue((appId, stripeCustomerId), out var known)) return known;
        var found = await db.Customers.AsNoTracking().Where(c => c.AppId == appId && c.StripeCustomerId == stripeCustomerId)
            .Select(c => new LinkedCustomer(c.Id, c.ExternalId)).SingleOrDefaultAsync(ct);
        if (found is not null) Remember(_links, (appId, stripeCustomerId), found);
        return found;
    }

    private static void Remember<TKey, TValue>(ConcurrentDictionary<TKey, TValue> map, TKey key, TValue value) where TKey : notnull
    {
        if (map.Count >= Capacity) map.Clear();
        map[key] = value;
    }
}
