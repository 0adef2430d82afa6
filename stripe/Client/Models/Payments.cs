namespace Billing.Stripe;

/// <summary>A Stripe <c>payment_intent</c>.</summary>
public sealed record PaymentIntent : StripeEntity, IHasId
{
    public required string Id { get; init; }
    public long Amount { get; init; }
    public long AmountCapturable { get; init; }
    public long AmountReceived { get; init; }
    public string Currency { get; init; } = "";
    /// <summary>
    /// <c>requires_payment_method</c>, <c>requires_confirmation</c>, <c>requires_action</c>,
    /// <c>processing</c>, <c>requires_capture</c>, <c>canceled</c> or <c>succeeded</c>.
    /// </summary>
    public string Status { get; init; } = "";
    public Expandable<Customer>? Customer { get; init; }
    public Expandable<Charge>? LatestCharge { get; init; }
    public Expandable<PaymentMethod>? PaymentMethod { get; init; }
    public long? ApplicationFeeAmount { get; init; }
    public PaymentIntentTransferData? TransferData { get; init; }
    public Expandable<Account>? OnBehalfOf { get; init; }
    /// <summary><c>automatic</c>, <c>automatic_async</c> or <c>manual</c>.</summary>
    public string? CaptureMethod { get; init; }
    public string? ClientSecret { get; init; }
    public StripeError? LastPaymentError { get; init; }
    public string? Description { get; init; }
    public string? TransferGroup { get; init; }
    public DateTimeOffset? CanceledAt { get; init; }
    public string? CancellationReason { get; init; }
    public DateTimeOffset Created { get; init; }
    public Dictionary<string, string> Metadata { get; init; } = [];
    public bool Livemode { get; init; }
}

public sealed record PaymentIntentTransferData
{
    public Expandable<Account>? Destination { get; init; }
    public long? Amount { get; init; }
}

/// <summary>A Stripe <c>charge</c> (only the parts billing needs).</summary>
public sealed record Charge : StripeEntity, IHasId
{
    public required string Id { get; init; }
    public long Amount { get; init; }
    public long AmountCaptured { get; init; }
    public long AmountRefunded { get; init; }
    public string Currency { get; init; } = "";
    public string? Status { get; init; }
    public bool Paid { get; init; }
    public bool Captured { get; init; }
    public bool Refunded { get; init; }
    public string? PaymentIntent { get; init; }
    public string? Customer { get; init; }
    public string? TransferGroup { get; init; }
    public DateTimeOffset Created { get; init; }
    public Dictionary<string, string> Metadata { get; init; } = [];
    public bool Livemode { get; init; }
}

/// <summary>A Stripe <c>refund</c>.</summary>
public sealed record Refund : StripeEntity, IHasId
{
    public required string Id { get; init; }
    public long Amount { get; init; }
    public string Currency { get; init; } = "";
    public Expandable<Charge>? Charge { get; init; }
    public Expandable<PaymentIntent>? PaymentIntent { get; init; }
    /// <summary><c>pending</c>, <c>requires_action</c>, <c>succeeded</c>, <c>failed</c> or <c>canceled</c>.</summary>
    public string? Status { get; init; }
    /// <summary><c>duplicate</c>, <c>fraudulent</c> or <c>requested_by_customer</c>.</summary>
    public string? Reason { get; init; }
    public DateTimeOffset Created { get; init; }
    public Dictionary<string, string> Metadata { get; init; } = [];
}

/// <summary>A Stripe Connect <c>transfer</c>.</summary>
public sealed record Transfer : StripeEntity, IHasId
{
    public required string Id { get; init; }
    public long Amount { get; init; }
    public long AmountReversed { get; init; }
    public string Currency { get; init; } = "";
    public Expandable<Account>? Destination { get; init; }
    public string? DestinationPayment { get; init; }
    public bool Reversed { get; init; }
    public StripeList<TransferReversal>? Reversals { get; init; }
    public string? SourceTransaction { get; init; }
    public string? TransferGroup { get; init; }
    public string? Description { get; init; }
    public DateTimeOffset Created { get; init; }
    public Dictionary<string, string> Metadata { get; init; } = [];
    public bool Livemode { get; init; }
}

public sealed record TransferReversal : StripeEntity, IHasId
{
    public required string Id { get; init; }
    public long Amount { get; init; }
    public string Currency { get; init; } = "";
    public DateTimeOffset Created { get; init; }
    public Dictionary<string, string> Metadata { get; init; } = [];
}
