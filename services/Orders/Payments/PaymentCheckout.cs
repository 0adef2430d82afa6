using Billing.Orders.Infrastructure;
using Billing.Orders.Model;
using Billing.Stripe;
using Stripe;
using Stripe.Checkout;

namespace Billing.Orders.Payments;

/// <summary>What the customer pays for: one of our products' Stripe prices, or an amount (a deposit).</summary>
public sealed record CheckoutItem(string? StripePriceId, string Name);

/// <summary>Where the app's sales go: its connected account (destination charge, with the platform's fee), or none.</summary>
public sealed record Destination(string AccountId, long ApplicationFeeCents);

/// <summary>The answer of purchase and deposit.</summary>
public sealed record OrderCheckoutResponse(string OrderId, string SessionId, string Url);

/// <summary>
/// Opens Stripe Checkout in payment mode for a new order: the order row first (pending), then the
/// session, created with the order's id as idempotency key and carrying <c>app_id</c> and
/// <c>order_id</c> on the session and its payment intent, so every event finds the order.
/// </summary>
public sealed class PaymentCheckout(OrdersDbContext db, StripeClient stripe)
{
    public async Task<OrderCheckoutResponse> OpenAsync(
        Order order, CheckoutItem item, string successUrl, string cancelUrl, Destination? destination, CancellationToken ct)
    {
        db.Orders.Add(order);
        await db.SaveChangesAsync(ct);

        var metadata = StripeConventions.AppMetadata(order.AppId, new Dictionary<string, string>(order.Metadata)
        {
            ["order_id"] = order.Id, ["customer_id"] = order.CustomerId, ["order_kind"] = order.Kind.ToString().ToLowerInvariant(),
        });
        var lineItem = item.StripePriceId is { } price
            ? new SessionLineItemOptions { Price = price, Quantity = order.Quantity }
            : new SessionLineItemOptions
            {
                Quantity = 1,
                PriceData = new SessionLineItemPriceDataOptions
                {
                    Currency = order.Currency, UnitAmount = order.AmountCents,
                    ProductData = new SessionLineItemPriceDataProductDataOptions { Name = item.Name },
                },
            };
        var session = await stripe.V1.Checkout.Sessions.CreateAsync(new SessionCreateOptions
        {
            Mode = "payment",
            LineItems = [lineItem],
            SuccessUrl = successUrl,
            CancelUrl = cancelUrl,
            ClientReferenceId = order.CustomerId,
            Metadata = metadata,
            PaymentIntentData = new SessionPaymentIntentDataOptions
            {
                CaptureMethod = order.CaptureMethod == CaptureMethod.Manual ? "manual" : "automatic",
                Metadata = metadata,
                TransferData = destination is null ? null : new SessionPaymentIntentDataTransferDataOptions { Destination = destination.AccountId },
                ApplicationFeeAmount = destination?.ApplicationFeeCents,
            },
        }, StripeConventions.Change(IdempotencyKeys.From("order-checkout", order.Id)), ct);

        order.StripeCheckoutSessionId = session.Id;
        await db.SaveChangesAsync(ct);
        return new OrderCheckoutResponse(order.Id, session.Id, session.Url);
    }
}
