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

    /// <summary>What Stripe took: the amount once paid, less when a held authorization was captured partly.</summary>
    public long CapturedCents { get; set; }

    /// <summary>Deposits only: refunded money the wallet no longer held (already spent), reported to the caller.</summary>
    public long RefundShortfallCents { get; set; }

    public CaptureMethod CaptureMethod { get; init; } = CaptureMethod.Automatic;
    public string? Description { get; init; }
    public Dictionary<string, string> Metadata { get; init; } = [];
    /// <summary>The app's connected account when the sale was a destination charge (its refunds reverse the transfer).</summary>
    public string? DestinationAccountId { get; init; }
    public long? ApplicationFeeCents { get; init; }
    public string? StripeCheckoutSessionId { get; set; }
    public string? StripePaymentIntentId { get; set; }
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
    public DateTimeOffset? PaidAt { get; set; }

    /// <summary>Expired and canceled orders never move again, whatever arrives late. A failed one may still be
    /// paid: the customer can try another card in the same Checkout Session.</summary>
    public bool IsClosed => Status is OrderStatus.Expired or OrderStatus.Canceled;

    /// <summary>Money was taken: paid, or refunded wholly or partly afterwards.</summary>
    public bool IsCaptured => Status is OrderStatus.Paid or OrderStatus.PartiallyRefunded or OrderStatus.Refunded;

    /// <summary>Paid with <paramref name="capturedCents"/> taken; false when the order is past that (already paid, or closed).</summary>
    public bool MarkPaid(long capturedCents, DateTimeOffset at) => Move(OrderStatus.Paid, () =>
    {
        CapturedCents = Math.Min(capturedCents, AmountCents);
        PaidAt ??= at;
    }, OrderStatus.Pending, OrderStatus.Held, OrderStatus.Failed);

    /// <summary>An authorization waits for capture or release.</summary>
    public bool MarkHeld() => Move(OrderStatus.Held, null, OrderStatus.Pending, OrderStatus.Failed);

    public bool MarkFailed() => Move(OrderStatus.Failed, null, OrderStatus.Pending);

    public bool MarkExpired() => Move(OrderStatus.Expired, null, OrderStatus.Pending, OrderStatus.Failed);

    /// <summary>Released by us, or voided by Stripe (an authorization left uncaptured for 7 days).</summary>
    public bool MarkCanceled() => Move(OrderStatus.Canceled, null, OrderStatus.Pending, OrderStatus.Held, OrderStatus.Failed);

    /// <summary>Records the running refunded total (never lower than known, never above what was captured); returns what it added.</summary>
    public long RecordRefunded(long totalRefundedCents)
    {
        if (!IsCaptured) return 0;
        var total = Math.Min(Math.Max(RefundedCents, totalRefundedCents), CapturedCents);
        var added = total - RefundedCents;
        if (added == 0) return 0;
        RefundedCents = total;
        Status = total >= CapturedCents ? OrderStatus.Refunded : OrderStatus.PartiallyRefunded;
        return added;
    }

    // The one place a status changes: only from the states listed, so a late or repeated event never moves an order back.
    private bool Move(OrderStatus to, Action? also, params OrderStatus[] from)
    {
        if (!from.Contains(Status)) return false;
        Status = to;
        also?.Invoke();
        return true;
    }
}
