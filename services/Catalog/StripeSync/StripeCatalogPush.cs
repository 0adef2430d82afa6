using Billing.Catalog.Model;
using Billing.Stripe;
using Stripe;
using Plan = Billing.Catalog.Model.Plan;
using Product = Billing.Catalog.Model.Product;

namespace Billing.Catalog.StripeSync;

/// <summary>
/// Makes Stripe match one plan or product: its Stripe product (made once, then kept to our name,
/// description and active flag), a Stripe price per active price of ours, and retired prices
/// inactive. Every create carries an idempotency key from our ids, so a repeated or concurrent push
/// never makes a second object; the ids Stripe gives are recorded on the entities as they come.
/// </summary>
public sealed class StripeCatalogPush(StripeClient stripe)
{
    public async Task PushAsync(CatalogItem item, CancellationToken ct)
    {
        var idKey = item is Plan ? "plan_id" : "product_id";
        if (item.StripeProductId is null)
        {
            // Only the name and metadata at creation: the rest follows in the update below. The key is the
            // plan's or product's id, so a retry after a lost commit gets the same product back. (Were the item
            // renamed in that instant, Stripe would refuse the key with other parameters: the sync is marked failed
            // and succeeds once Stripe forgets the key, after 24 h; nothing is double-sold, a stray product remains.)
            var created = await stripe.V1.Products.CreateAsync(new ProductCreateOptions
            {
                Name = item.Name,
                Metadata = StripeConventions.AppMetadata(item.AppId, new Dictionary<string, string> { [idKey] = item.Id }),
            }, StripeConventions.Change(IdempotencyKeys.From("catalog-product", item.Id)), ct);
            item.StripeProductId = created.Id;
        }

        await stripe.V1.Products.UpdateAsync(item.StripeProductId, new ProductUpdateOptions
        {
            Name = item.Name,
            Description = item.Description ?? "",
            Active = item.Active,
        }, cancellationToken: ct);

        foreach (var price in item.Prices.Where(p => p.Active && p.StripePriceId is null).OrderBy(p => p.Id, StringComparer.Ordinal))
        {
            var created = await stripe.V1.Prices.CreateAsync(new PriceCreateOptions
            {
                Product = item.StripeProductId,
                UnitAmount = price.AmountCents,
                Currency = price.Currency,
                Recurring = price.Interval is { } interval
                    ? new PriceRecurringOptions { Interval = interval == BillingInterval.Month ? "month" : "year" }
                    : null,
                Metadata = StripeConventions.AppMetadata(item.AppId, new Dictionary<string, string> { [idKey] = item.Id, ["price_id"] = price.Id }),
            }, StripeConventions.Change(IdempotencyKeys.From("catalog-price", price.Id)), ct);
            price.StripePriceId = created.Id;
        }

        // A replaced price stays on Stripe for its subscribers, but nobody new can choose it.
        foreach (var price in item.Prices.Where(p => !p.Active && p.StripePriceId is not null && !p.StripeDeactivated))
        {
            await stripe.V1.Prices.UpdateAsync(price.StripePriceId, new PriceUpdateOptions { Active = false }, cancellationToken: ct);
            price.StripeDeactivated = true;
        }
    }
}
