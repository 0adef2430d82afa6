using Billing.Orders.Model;
using Billing.ServiceDefaults.Errors;
using Billing.Stripe;
using Stripe;

namespace Billing.Orders.Payments;

/// <summary>
/// The app's own moves on a paid or held order: refund, capture, release. Each runs with the order
/// locked (refunds of one order queue), asks Stripe with an idempotency key derived from the order and
/// the resulting total (a retry cannot refund or capture twice), then records Stripe's answer through
/// <see cref="OrderPayments"/>, the code the webhook events use too.
/// </summary>
public sealed class OrderSettlement(OrderPayments payments, StripeClient stripe)
{
    /// <summary>Refunds <paramref name="amountCents"/> (default: all that is left); never more than was captured (409).</summary>
    public async Task<Order> RefundAsync(string appId, string orderId, long? amountCents, CancellationToken ct) =>
        await payments.WithOrderAsync(appId, o => o.Id == orderId, async order =>
        {
            if (!order.IsCaptured || order.StripePaymentIntentId is null)
                throw ApiException.Conflict($"Only a paid order can be refunded; this one is {Snake(order.Status)}.");
            var left = order.CapturedCents - order.RefundedCents;
            var amount = amountCents ?? left;
            if (left == 0) throw ApiException.Conflict("This order has been refunded in full already.");
            if (amount > left) throw ApiException.Conflict($"Only {left} cents of this order are left to refund.");
            var total = order.RefundedCents + amount;
            await stripe.V1.Refunds.CreateAsync(new RefundCreateOptions
            {
                PaymentIntent = order.StripePaymentIntentId,
                Amount = amount,
                ReverseTransfer = order.DestinationAccountId is null ? null : true,
                Metadata = StripeConventions.AppMetadata(appId, new Dictionary<string, string> { ["order_id"] = order.Id }),
            }, StripeConventions.Change(IdempotencyKeys.From("order-refund", order.Id, total.ToString(System.Globalization.CultureInfo.InvariantCulture))), ct);
            await payments.RecordRefundAsync(order, total, ct);
        }, ct) ?? throw ApiException.NotFound("The order");

    /// <summary>Captures a held authorization, in full or <paramref name="amountCents"/> of it (Stripe releases the rest).</summary>
    public async Task<Order> CaptureAsync(string appId, string orderId, long? amountCents, CancellationToken ct) =>
        await payments.WithOrderAsync(appId, o => o.Id == orderId, async order =>
        {
            if (order.Status != OrderStatus.Held || order.StripePaymentIntentId is null)
                throw ApiException.Conflict($"Only a held order can be captured; this one is {Snake(order.Status)}.");
            if (amountCents > order.AmountCents)
                throw ApiException.Conflict($"At most the authorized {order.AmountCents} cents can be captured.");
            var intent = await stripe.V1.PaymentIntents.CaptureAsync(order.StripePaymentIntentId,
                new PaymentIntentCaptureOptions { AmountToCapture = amountCents },
                StripeConventions.Change(IdempotencyKeys.From("order-capture", order.Id)), ct);
            await payments.PaidAsync(order, intent.AmountReceived, ct);
        }, ct) ?? throw ApiException.NotFound("The order");

    /// <summary>Drops a held authorization (or an unpaid checkout's intent): the order is canceled and nothing is charged.</summary>
    public async Task<Order> ReleaseAsync(string appId, string orderId, CancellationToken ct) =>
        await payments.WithOrderAsync(appId, o => o.Id == orderId, async order =>
        {
            if (order.Status != OrderStatus.Held || order.StripePaymentIntentId is null)
                throw ApiException.Conflict($"Only a held order can be released; this one is {Snake(order.Status)}.");
            await stripe.V1.PaymentIntents.CancelAsync(order.StripePaymentIntentId, new PaymentIntentCancelOptions(),
                StripeConventions.Change(IdempotencyKeys.From("order-release", order.Id)), ct);
            order.MarkCanceled();
        }, ct) ?? throw ApiException.NotFound("The order");

    private static string Snake(OrderStatus status) => Billing.ServiceDefaults.Api.SnakeCaseEnum.Format(status);
}
