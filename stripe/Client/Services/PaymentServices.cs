namespace Billing.Stripe;

/// <summary><c>/v1/refunds</c>.</summary>
public sealed class RefundService : StripeService
{
    internal RefundService(IStripeClient client) : base(client) { }

    public Task<Refund> CreateAsync(RefundCreateRequest request, RequestOptions? options = null, CancellationToken ct = default) =>
        PostAsync<Refund>("v1/refunds", request, options, ct);

    public Task<Refund> GetAsync(string id, RequestOptions? options = null, CancellationToken ct = default) =>
        GetAsync<Refund>($"v1/refunds/{Segment(id)}", null, options, ct);

    public Task<StripeList<Refund>> ListAsync(RefundListRequest? request = null, RequestOptions? options = null, CancellationToken ct = default) =>
        GetAsync<StripeList<Refund>>("v1/refunds", request, options, ct);

    public IAsyncEnumerable<Refund> ListAutoPagingAsync(RefundListRequest? request = null, RequestOptions? options = null, CancellationToken ct = default) =>
        AutoPageAsync<Refund, RefundListRequest>("v1/refunds", request, options, ct);
}

/// <summary><c>/v1/payment_intents</c>: read, capture or release an authorization.</summary>
public sealed class PaymentIntentService : StripeService
{
    internal PaymentIntentService(IStripeClient client) : base(client) { }

    public Task<PaymentIntent> GetAsync(string id, RequestOptions? options = null, CancellationToken ct = default) =>
        GetAsync<PaymentIntent>($"v1/payment_intents/{Segment(id)}", null, options, ct);

    /// <summary>Captures a <c>requires_capture</c> intent (a held deposit).</summary>
    public Task<PaymentIntent> CaptureAsync(string id, PaymentIntentCaptureRequest? request = null, RequestOptions? options = null, CancellationToken ct = default) =>
        PostAsync<PaymentIntent>($"v1/payment_intents/{Segment(id)}/capture", request, options, ct);

    /// <summary>Cancels the intent, releasing an uncaptured authorization.</summary>
    public Task<PaymentIntent> CancelAsync(string id, PaymentIntentCancelRequest? request = null, RequestOptions? options = null, CancellationToken ct = default) =>
        PostAsync<PaymentIntent>($"v1/payment_intents/{Segment(id)}/cancel", request, options, ct);
}
