using Billing.ServiceDefaults.Errors;
using Billing.Subscriptions.Infrastructure;
using Billing.Subscriptions.Model;
using Billing.Subscriptions.Peers;
using Microsoft.EntityFrameworkCore;

namespace Billing.Subscriptions.Plans;

/// <summary>What a checkout sells: a projected plan and one of its prices, checked sellable.</summary>
public sealed record SellablePrice(CatalogPlan Plan, CatalogPrice Price);

/// <summary>Resolves plans and prices through the projection of Catalog's plans (read through <see cref="PlanCache"/>).</summary>
public sealed class PlanResolver(SubscriptionsDbContext db, PlanCache cache, CatalogPlans catalog)
{
    public const string PlanNotSellable = "plan_not_sellable";

    /// <summary>The plan's active price for the interval (the only one, or the monthly one, when none is asked).</summary>
    public async Task<SellablePrice> ByPlanAsync(string appId, string planId, string? interval, CancellationToken ct)
    {
        var plan = (await cache.OfAsync(db, appId, ct)).GetValueOrDefault(planId);
        if (plan is null)
        {
            // Catalog has it while its PlanChanged is on the way: the same 409 as for a plan Stripe has not synced yet.
            // Not a 404 unless Catalog says so: "no such plan" would send a client away from a plan it just made.
            throw await catalog.ExistsAsync(appId, planId, ct) switch
            {
                true => NotSellableYet(),
                false => ApiException.NotFound("The plan"),
                null => ApiException.Unavailable("The plan is not known here yet and the catalog could not be asked; retry shortly."),
            };
        }
        var active = plan.Prices.Where(p => p.Active).ToList();
        var price = interval is null
            ? active.Count == 1 ? active[0] : active.FirstOrDefault(p => p.Interval == "month") ?? active.FirstOrDefault()
            : active.FirstOrDefault(p => p.Interval == interval)
              ?? throw ApiException.Validation("interval", $"The plan has no active {interval}ly price.");
        return EnsureSellable(plan, price);
    }

    /// <summary>The plan of one of our prices (<c>price_…</c>).</summary>
    public async Task<SellablePrice> ByPriceAsync(string appId, string priceId, CancellationToken ct)
    {
        var (plan, price) = (await cache.OfAsync(db, appId, ct)).Values
            .SelectMany(p => p.Prices.Where(r => r.Id == priceId).Select(r => (Plan: p, Price: r))).FirstOrDefault();
        if (price is null) throw ApiException.NotFound("The price");
        if (!price.Active) throw ApiException.Validation("priceId", "The price was replaced by a newer amount; existing subscribers keep it, new checkouts use the plan's active price.");
        return EnsureSellable(plan, price);
    }

    /// <summary>The plan and price a Stripe price id maps to, or null when the projection does not know it (yet).</summary>
    public async Task<(string PlanId, string PriceId)?> ByStripePriceAsync(string appId, string stripePriceId, CancellationToken ct)
    {
        // A Stripe price belongs to one of our prices for good: a cached match is final; a miss may be a price
        // synced since the cache was loaded, so it asks the projection itself.
        var cached = (await cache.OfAsync(db, appId, ct)).Values.SelectMany(p => p.Prices).FirstOrDefault(p => p.StripePriceId == stripePriceId);
        if (cached is not null) return (cached.PlanId, cached.Id);
        return await db.Prices.AsNoTracking().Where(p => p.AppId == appId && p.StripePriceId == stripePriceId)
            .Select(p => new { p.PlanId, p.Id }).FirstOrDefaultAsync(ct) is { } found ? (found.PlanId, found.Id) : null;
    }

    /// <summary>
    /// An archived plan is a validation failure (the caller asked for something that is no longer sold);
    /// an active plan not yet synced to Stripe is a 409 the caller can retry once Catalog finished.
    /// </summary>
    private static SellablePrice EnsureSellable(CatalogPlan plan, CatalogPrice? price)
    {
        if (!plan.Active) throw ApiException.Validation("planId", "The plan is archived: it takes no new subscriptions.");
        if (!plan.Sellable || price?.StripePriceId is null) throw NotSellableYet();
        return new SellablePrice(plan, price);
    }

    private static ApiException NotSellableYet() =>
        new(409, ErrorCodes.Conflict, "The plan is not sellable yet: its Stripe product and prices are still being created. Retry shortly.")
        { Extensions = { ["reason"] = PlanNotSellable } };
}
