namespace Billing.Stripe;

/// <summary><c>/v1/subscriptions</c> (created through Checkout, so no create here).</summary>
public sealed class SubscriptionService : StripeService
{
    internal SubscriptionService(IStripeClient client) : base(client) { }

    public Task<Subscription> GetAsync(string id, RequestOptions? options = null, CancellationToken ct = default) =>
        GetAsync<Subscription>($"v1/subscriptions/{Segment(id)}", null, options, ct);

    public Task<Subscription> UpdateAsync(string id, SubscriptionUpdateRequest request, RequestOptions? options = null, CancellationToken ct = default) =>
        PostAsync<Subscription>($"v1/subscriptions/{Segment(id)}", request, options, ct);

    /// <summary>Cancels now (<c>DELETE</c>); to cancel at the period end, update with <c>CancelAtPeriodEnd = true</c>.</summary>
    public Task<Subscription> CancelAsync(string id, SubscriptionCancelRequest? request = null, RequestOptions? options = null, CancellationToken ct = default) =>
        DeleteAsync<Subscription>($"v1/subscriptions/{Segment(id)}", request, options, ct);

    public Task<StripeList<Subscription>> ListAsync(SubscriptionListRequest? request = null, RequestOptions? options = null, CancellationToken ct = default) =>
        GetAsync<StripeList<Subscription>>("v1/subscriptions", request, options, ct);

    public IAsyncEnumerable<Subscription> ListAutoPagingAsync(SubscriptionListRequest? request = null, RequestOptions? options = null, CancellationToken ct = default) =>
        AutoPageAsync<Subscription, SubscriptionListRequest>("v1/subscriptions", request, options, ct);
}

/// <summary><c>/v1/invoices</c> (read only: subscriptions create them).</summary>
public sealed class InvoiceService : StripeService
{
    internal InvoiceService(IStripeClient client) : base(client) { }

    public Task<Invoice> GetAsync(string id, RequestOptions? options = null, CancellationToken ct = default) =>
        GetAsync<Invoice>($"v1/invoices/{Segment(id)}", null, options, ct);

    public Task<StripeList<Invoice>> ListAsync(InvoiceListRequest? request = null, RequestOptions? options = null, CancellationToken ct = default) =>
        GetAsync<StripeList<Invoice>>("v1/invoices", request, options, ct);

    public IAsyncEnumerable<Invoice> ListAutoPagingAsync(InvoiceListRequest? request = null, RequestOptions? options = null, CancellationToken ct = default) =>
        AutoPageAsync<Invoice, InvoiceListRequest>("v1/invoices", request, options, ct);

    /// <summary>The invoice's lines beyond the first page embedded in <see cref="Invoice.Lines"/>.</summary>
    public Task<StripeList<InvoiceLineItem>> ListLinesAsync(string id, PageRequest? request = null, RequestOptions? options = null, CancellationToken ct = default) =>
        GetAsync<StripeList<InvoiceLineItem>>($"v1/invoices/{Segment(id)}/lines", request, options, ct);

    public IAsyncEnumerable<InvoiceLineItem> ListLinesAutoPagingAsync(string id, PageRequest? request = null, RequestOptions? options = null, CancellationToken ct = default) =>
        AutoPageAsync<InvoiceLineItem, PageRequest>($"v1/invoices/{Segment(id)}/lines", request, options, ct);
}
