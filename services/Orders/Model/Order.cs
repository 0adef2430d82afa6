namespace Billing.Orders.Model;

public enum OrderKind { Product, Deposit }

/// <summary>The seeds' four statuses (pending, paid, failed, refunded) plus the states held deposits and partial refunds need.</summary>
public enum OrderStatus { Pending, Held, Paid, Failed, Refunded, PartiallyRefunded, Expired, Canceled }

public enum CaptureMethod { Automatic, Manual }

/// <summary>A one-time purchase or a wallet deposit. Money in minor units.</summary>
public sealed class Order
{
    public required string Id { get; init; }
    public required string AppId { get; init; }
    public required string CustomerId { get; init; }
    public OrderKind Kind { get; init; }
    public string? ProductId { get; init; }
    public int Quantity { get; init; } = 1;
    public long AmountCents { get; init; }
    public string Currency { get; init; } = "usd";
    public OrderStatus Status { get; set; } = OrderStatus.Pending;
    public long RefundedCents { get; set; }
    public CaptureMethod CaptureMethod { get; init; } = CaptureMethod.Automatic;
    public string? StripeCheckoutSessionId { get; set; }
    public string? StripePaymentIntentId { get; set; }
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
    public DateTimeOffset? PaidAt { get; set; }
}
