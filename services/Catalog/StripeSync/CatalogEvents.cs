using Billing.Catalog.Model;
using Billing.Contracts.Catalog;
using Billing.ServiceDefaults.Api;
using Billing.ServiceDefaults.Messaging;

namespace Billing.Catalog.StripeSync;

/// <summary>
/// Stages the outbox messages of a change on the same DbContext: the whole new state for the other
/// services, and, when Stripe must follow, the request to sync it.
/// </summary>
public static class CatalogEvents
{
    public static void StageChanged(this Infrastructure.CatalogDbContext db, CatalogItem item, bool sync)
    {
        var now = DateTimeOffset.UtcNow;
        db.AddOutboxMessage(item switch
        {
            Plan plan => new PlanChanged(Guid.NewGuid(), now, plan.AppId, StateOf(plan)),
            Product product => new ProductChanged(Guid.NewGuid(), now, product.AppId, StateOf(product)),
            _ => throw new ArgumentOutOfRangeException(nameof(item)),
        });
        if (sync) db.AddOutboxMessage(new StripeSyncRequested(Guid.NewGuid(), now, item.AppId, item.Id));
    }

    public static PlanState StateOf(Plan plan) => new(
        plan.Id, plan.Name, plan.Active, plan.Sellable, plan.TrialDays, plan.Features.ToList(), plan.Limits.ToDictionary(),
        plan.Prices.OrderBy(p => p.Id, StringComparer.Ordinal)
            .Select(p => new PlanPrice(p.Id, SnakeCaseEnum.Format(p.Interval!.Value), p.AmountCents, p.Currency, p.Active, p.StripePriceId))
            .ToList(),
        plan.Metadata.ToDictionary(), plan.StripeProductId, plan.Version);

    public static ProductState StateOf(Product product)
    {
        var price = product.CurrentPrice ?? throw new InvalidOperationException($"Product {product.Id} has no active price.");
        return new(product.Id, product.Name, product.Active, product.Sellable, price.Id, price.AmountCents, price.Currency,
            product.Metadata.ToDictionary(), product.StripeProductId, price.StripePriceId, product.Version);
    }
}
