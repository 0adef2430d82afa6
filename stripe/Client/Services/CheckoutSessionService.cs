namespace Billing.Stripe;

/// <summary><c>/v1/checkout/sessions</c>.</summary>
public sealed class CheckoutSessionService : StripeService
{
    internal CheckoutSessionService(IStripeClient client) : base(client) { }

    public Task<CheckoutSession> CreateAsync(CheckoutSessionCreateRequest request, RequestOptions? options = null, CancellationToken ct = default) =>
        PostAsync<CheckoutSession>("v1/checkout/sessions", request, options, ct);

    /// <summary>Add <c>Expand = ["line_items"]</c> to get the line items inline.</summary>
    public Task<CheckoutSession> GetAsync(string id, RequestOptions? options = null, CancellationToken ct = default) =>
        GetAsync<CheckoutSession>($"v1/checkout/sessions/{Segment(id)}", null, options, ct);

    public Task<StripeList<CheckoutSession>> ListAsync(CheckoutSessionListRequest? request = null, RequestOptions? options = null, CancellationToken ct = default) =>
        GetAsync<StripeList<CheckoutSession>>("v1/checkout/sessions", request, options, ct);

    public IAsyncEnumerable<CheckoutSession> ListAutoPagingAsync(CheckoutSessionListRequest? request = null, RequestOptions? options = null, CancellationToken ct = default) =>
        AutoPageAsync<CheckoutSession, CheckoutSessionListRequest>("v1/checkout/sessions", request, options, ct);

    /// <summary>Expires an open session; it then has <c>status=expired</c> and no URL.</summary>
    public Task<CheckoutSession> ExpireAsync(string id, RequestOptions? options = null, CancellationToken ct = default) =>
        PostAsync<CheckoutSession>($"v1/checkout/sessions/{Segment(id)}/expire", null, options, ct);

    public Task<StripeList<CheckoutLineItem>> ListLineItemsAsync(string id, PageRequest? request = null, RequestOptions? options = null, CancellationToken ct = default) =>
        GetAsync<StripeList<CheckoutLineItem>>($"v1/checkout/sessions/{Segment(id)}/line_items", request, options, ct);

    public IAsyncEnumerable<CheckoutLineItem> ListLineItemsAutoPagingAsync(string id, PageRequest? request = null, RequestOptions? options = null, CancellationToken ct = default) =>
        AutoPageAsync<CheckoutLineItem, PageRequest>($"v1/checkout/sessions/{Segment(id)}/line_items", request, options, ct);
}

/// <summary><c>/v1/billing_portal/sessions</c>.</summary>
public sealed class BillingPortalSessionService : StripeService
{
    internal BillingPortalSessionService(IStripeClient client) : base(client) { }

    public Task<BillingPortalSession> CreateAsync(BillingPortalSessionCreateRequest request, RequestOptions? options = null, CancellationToken ct = default) =>
        PostAsync<BillingPortalSession>("v1/billing_portal/sessions", request, options, ct);
}
