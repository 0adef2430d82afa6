using Billing.Orders.Model;

namespace Billing.Orders.Apis;

public sealed record OrderStripe(string? CheckoutSessionId, string? PaymentIntentId);

public sealed record OrderResponse(
    string Id, string CustomerId, OrderKind Kind, string? ProductId, int Quantity, long AmountCents, string Currency,
    OrderStatus Status, long RefundedCents, CaptureMethod CaptureMethod, DateTimeOffset CreatedAt, DateTimeOffset? PaidAt,
    OrderStripe Stripe)
{
    public static OrderResponse From(Order o) => new(
        o.Id, o.CustomerId, o.Kind, o.ProductId, o.Quantity, o.AmountCents, o.Currency, o.Status, o.RefundedCents,
        o.CaptureMethod, o.CreatedAt, o.PaidAt, new OrderStripe(o.StripeCheckoutSessionId, o.StripePaymentIntentId));
}
