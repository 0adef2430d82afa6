namespace Billing.Stripe;

/// <summary><c>/v1/events</c>: the last 30 days of events, for reconciliation and replay.</summary>
public sealed class EventService : StripeService
{
    internal EventService(IStripeClient client) : base(client) { }

    public Task<StripeEvent> GetAsync(string id, RequestOptions? options = null, CancellationToken ct = default) =>
        GetAsync<StripeEvent>($"v1/events/{Segment(id)}", null, options, ct);

    public Task<StripeList<StripeEvent>> ListAsync(EventListRequest? request = null, RequestOptions? options = null, CancellationToken ct = default) =>
        GetAsync<StripeList<StripeEvent>>("v1/events", request, options, ct);

    public IAsyncEnumerable<StripeEvent> ListAutoPagingAsync(EventListRequest? request = null, RequestOptions? options = null, CancellationToken ct = default) =>
        AutoPageAsync<StripeEvent, EventListRequest>("v1/events", request, options, ct);
}

/// <summary><c>/v1/webhook_endpoints</c>.</summary>
public sealed class WebhookEndpointService : StripeService
{
    internal WebhookEndpointService(IStripeClient client) : base(client) { }

    /// <summary>The answer holds the signing <see cref="WebhookEndpoint.Secret"/>; Stripe never shows it again.</summary>
    public Task<WebhookEndpoint> CreateAsync(WebhookEndpointCreateRequest request, RequestOptions? options = null, CancellationToken ct = default) =>
        PostAsync<WebhookEndpoint>("v1/webhook_endpoints", request, options, ct);

    public Task<WebhookEndpoint> GetAsync(string id, RequestOptions? options = null, CancellationToken ct = default) =>
        GetAsync<WebhookEndpoint>($"v1/webhook_endpoints/{Segment(id)}", null, options, ct);

    public Task<WebhookEndpoint> UpdateAsync(string id, WebhookEndpointUpdateRequest request, RequestOptions? options = null, CancellationToken ct = default) =>
        PostAsync<WebhookEndpoint>($"v1/webhook_endpoints/{Segment(id)}", request, options, ct);

    public Task<DeletedObject> DeleteAsync(string id, RequestOptions? options = null, CancellationToken ct = default) =>
        DeleteAsync<DeletedObject>($"v1/webhook_endpoints/{Segment(id)}", null, options, ct);

    public Task<StripeList<WebhookEndpoint>> ListAsync(PageRequest? request = null, RequestOptions? options = null, CancellationToken ct = default) =>
        GetAsync<StripeList<WebhookEndpoint>>("v1/webhook_endpoints", request, options, ct);

    public IAsyncEnumerable<WebhookEndpoint> ListAutoPagingAsync(PageRequest? request = null, RequestOptions? options = null, CancellationToken ct = default) =>
        AutoPageAsync<WebhookEndpoint, PageRequest>("v1/webhook_endpoints", request, options, ct);
}

/// <summary><c>/v1/test_helpers/test_clocks</c>: simulated time for subscription tests.</summary>
public sealed class TestClockService : StripeService
{
    internal TestClockService(IStripeClient client) : base(client) { }

    public Task<TestClock> CreateAsync(TestClockCreateRequest request, RequestOptions? options = null, CancellationToken ct = default) =>
        PostAsync<TestClock>("v1/test_helpers/test_clocks", request, options, ct);

    public Task<TestClock> GetAsync(string id, RequestOptions? options = null, CancellationToken ct = default) =>
        GetAsync<TestClock>($"v1/test_helpers/test_clocks/{Segment(id)}", null, options, ct);

    /// <summary>Starts advancing; the clock reports <c>advancing</c> and then <c>ready</c>.</summary>
    public Task<TestClock> AdvanceAsync(string id, TestClockAdvanceRequest request, RequestOptions? options = null, CancellationToken ct = default) =>
        PostAsync<TestClock>($"v1/test_helpers/test_clocks/{Segment(id)}/advance", request, options, ct);

    public Task<DeletedObject> DeleteAsync(string id, RequestOptions? options = null, CancellationToken ct = default) =>
        DeleteAsync<DeletedObject>($"v1/test_helpers/test_clocks/{Segment(id)}", null, options, ct);
}

/// <summary><c>/v1/billing/meter_events</c>: usage for metered prices.</summary>
public sealed class MeterEventService : StripeService
{
    internal MeterEventService(IStripeClient client) : base(client) { }

    public Task<MeterEvent> CreateAsync(MeterEventCreateRequest request, RequestOptions? options = null, CancellationToken ct = default) =>
        PostAsync<MeterEvent>("v1/billing/meter_events", request, options, ct);
}
