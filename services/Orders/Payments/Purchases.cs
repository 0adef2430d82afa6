using Billing.Orders.Apis;
using Billing.Orders.Customers;
using Billing.Orders.Infrastructure;
using Billing.Orders.Model;
using Billing.Orders.Peers;
using Billing.ServiceDefaults.Api;
using Billing.ServiceDefaults.Errors;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Billing.Orders.Payments;

/// <summary>
/// A purchase of a Catalog product: an order at the product's current price and Checkout in payment
/// mode. While the app's connected account can take charges, the sale is a destination charge to it
/// with the platform's application fee; otherwise a direct charge on the platform.
/// </summary>
public sealed class Purchases(OrdersDbContext db, CustomerDirectory customers, CatalogProducts catalog, PaymentCheckout checkout,
    IOptions<OrdersOptions> options)
{
    public async Task<OrderCheckoutResponse> OpenAsync(string appId, PurchaseRequest request, CancellationToken ct)
    {
        var product = await db.CatalogProducts.AsNoTracking().SingleOrDefaultAsync(p => p.AppId == appId
            && (request.ProductId != null ? p.Id == request.ProductId : p.PriceId == request.PriceId), ct);
        // Not (yet) sellable here: Catalog may have synced it a moment ago, its event still on the way.
        if (product is not { Sellable: true } && request.ProductId is not null)
        {
            var (answered, current) = await catalog.FindAsync(appId, request.ProductId, ct);
            // Not a 404 unless Catalog says so: "no such product" would send a client away from one it just made.
            if (product is null && !answered)
                throw ApiException.Unavailable("The product is not known here yet and the catalog could not be asked; retry shortly.");
            product = current ?? product;
        }
        if (product is null) throw ApiException.NotFound("The product");
        if (!product.Sellable || product.StripePriceId is null)
            throw ApiException.Conflict("This product is not for sale yet (archived, or not synced to Stripe).");
        var customer = await customers.ResolveAsync(appId, request.Customer, ct);
        var quantity = request.Quantity ?? 1;
        var amount = product.PriceCents * quantity;
        var account = await db.ConnectAccounts.AsNoTracking().SingleOrDefaultAsync(a => a.AppId == appId && a.ChargesEnabled, ct);
        var destination = account is null ? null
            : new Destination(account.AccountId, amount * options.Value.PlatformFeeBasisPoints / 10_000);
        var order = new Order
        {
            Id = Ids.New("ord"), AppId = appId, CustomerId = customer.Id, Kind = OrderKind.Product, ProductId = product.Id, Quantity = quantity,
            AmountCents = amount, Currency = product.Currency,
            CaptureMethod = request.CaptureMethod == "manual" ? CaptureMethod.Manual : CaptureMethod.Automatic,
            Description = product.Name, Metadata = request.Metadata ?? [],
            DestinationAccountId = destination?.AccountId, ApplicationFeeCents = destination?.ApplicationFeeCents,
        };
        return await checkout.OpenAsync(order, new CheckoutItem(product.StripePriceId, product.Name), request.SuccessUrl!, request.CancelUrl!,
            destination, ct);
    }
}
