namespace Billing.Stripe;

/// <summary>The typed Stripe client; see <see cref="StripeClient"/>.</summary>
public interface IStripeClient
{
    CustomerService Customers { get; }
    ProductService Products { get; }
    PriceService Prices { get; }
    CheckoutSessionService CheckoutSessions { get; }
    SubscriptionService Subscriptions { get; }
    InvoiceService Invoices { get; }
    BillingPortalSessionService BillingPortalSessions { get; }
    AccountService Accounts { get; }
    AccountLinkService AccountLinks { get; }
    RefundService Refunds { get; }
    TransferService Transfers { get; }
    PaymentIntentService PaymentIntents { get; }
    EventService Events { get; }
    WebhookEndpointService WebhookEndpoints { get; }
    TestClockService TestClocks { get; }
    MeterEventService MeterEvents { get; }

    /// <summary>
    /// Calls any endpoint and reads the answer as <typeparamref name="T"/>. Parameters are a
    /// request record (or any object) encoded by <see cref="StripeFormEncoder"/>: the body of a
    /// POST, the query string otherwise.
    /// </summary>
    /// <exception cref="StripeException">Stripe refused the call, or no answer came after the retries.</exception>
    Task<T> RequestAsync<T>(HttpMethod method, string path, object? parameters = null, RequestOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Like <see cref="RequestAsync{T}"/> but returns the raw answer (headers, body, attempts).</summary>
    /// <exception cref="StripeException">Stripe refused the call, or no answer came after the retries.</exception>
    Task<StripeResponse> SendAsync(HttpMethod method, string path, object? parameters = null, RequestOptions? options = null, CancellationToken cancellationToken = default);
}
