namespace Billing.Stripe;

public sealed record RefundCreateRequest : StripeRequest
{
    public string? PaymentIntent { get; init; }
    public string? Charge { get; init; }
    /// <summary>Minor units; everything still refundable when omitted.</summary>
    public long? Amount { get; init; }
    public RefundReason? Reason { get; init; }
    public bool? RefundApplicationFee { get; init; }
    public bool? ReverseTransfer { get; init; }
    public Dictionary<string, string?>? Metadata { get; init; }
}

public sealed record RefundListRequest : ListRequest
{
    public string? Charge { get; init; }
    public string? PaymentIntent { get; init; }
    public DateRangeFilter? Created { get; init; }
}

public sealed record PaymentIntentCaptureRequest : StripeRequest
{
    /// <summary>Minor units; the whole capturable amount when omitted.</summary>
    public long? AmountToCapture { get; init; }
    public long? ApplicationFeeAmount { get; init; }
    public Dictionary<string, string?>? Metadata { get; init; }
}

public sealed record PaymentIntentCancelRequest : StripeRequest
{
    public PaymentIntentCancellationReason? CancellationReason { get; init; }
}
