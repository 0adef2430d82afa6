using Billing.Orders.Model;

namespace Billing.Orders.Apis;

public sealed record OrderStripe(string? CheckoutSessionId, string? PaymentIntentId, string? DestinationAccountId);

/// <summary>
/// An order as API.md describes it, plus <c>capturedCents</c> (what Stripe took) and, for deposits,
/// <c>refundShortfallCents</c>: refunded money the wallet no longer held when the refund came.
/// </summary>
public sealed record OrderResponse(
    string Id, string CustomerId, OrderKind Kind, string? ProductId, int Quantity, long AmountCents, string Currency,
    OrderStatus Status, long RefundedCents, long CapturedCents, long RefundShortfallCents, CaptureMethod CaptureMethod,
    IReadOnlyDictionary<string, string> Metadata, DateTimeOffset CreatedAt, DateTimeOffset? PaidAt, OrderStripe Stripe)
{
    public static OrderResponse From(Order o) => new(
        o.Id, o.CustomerId, o.Kind, o.ProductId, o.Quantity, o.AmountCents, o.Currency, o.Status, o.RefundedCents, o.CapturedCents,
        o.RefundShortfallCents, o.CaptureMethod, o.Metadata, o.CreatedAt, o.PaidAt,
        new OrderStripe(o.StripeCheckoutSessionId, o.StripePaymentIntentId, o.DestinationAccountId));
}
