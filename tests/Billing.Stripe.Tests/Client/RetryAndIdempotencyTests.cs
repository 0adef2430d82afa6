using System.Diagnostics;
using System.Net;
using Xunit;

namespace Billing.Stripe.Tests.Client;

public sealed class RetryAndIdempotencyTests : IAsyncLifetime
{
    private const string CustomerJson = """{"id":"cus_1","object":"customer","created":1700000000,"email":"a@example.com","balance":0,"metadata":{},"livemode":false}""";
    private ScriptedStripeServer _server = null!;

    public async Task InitializeAsync() => _server = await ScriptedStripeServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Rate_limited_post_is_retried_with_the_same_generated_idempotency_key()
    {
        _server.Respond(429, """{"error":{"type":"invalid_request_error","code":"rate_limit","message":"slow down"}}""")
               .Respond(200, CustomerJson);
        var client = _server.CreateClient();

        var customer = await client.Customers.CreateAsync(new CustomerCreateRequest { Email = "a@example.com" });

        Assert.Equal("cus_1", customer.Id);
        var requests = _server.Requests;
        Assert.Equal(2, requests.Count);
        var key = requests[0].Header("Idempotency-Key");
        Assert.False(string.IsNullOrEmpty(key));
        Assert.StartsWith("billing-retry-", key);
        Assert.Equal(key, requests[1].Header("Idempotency-Key"));
        Assert.Equal("email=a%40example.com", requests[1].Body);
    }

    [Fact]
    public async Task Separate_calls_without_a_natural_key_get_different_keys()
    {
        _server.Respond(200, CustomerJson).Respond(200, CustomerJson);
        var client = _server.CreateClient();

        await client.Customers.CreateAsync(new CustomerCreateRequest());
        await client.Customers.CreateAsync(new CustomerCreateRequest());

        var keys = _server.Requests.Select(r => r.Header("Idempotency-Key")).ToList();
        Assert.Equal(2, keys.Distinct().Count());
    }

    [Fact]
    public async Task A_caller_supplied_key_is_sent_verbatim_on_every_attempt_and_every_call()
    {
        _server.Drop().Respond(200, CustomerJson).Respond(200, CustomerJson);
        var client = _server.CreateClient();
        var options = new RequestOptions { IdempotencyKey = IdempotencyKeys.From("customer", "app_1", "user_42") };

        await client.Customers.CreateAsync(new CustomerCreateRequest(), options);
        await client.Customers.CreateAsync(new CustomerCreateRequest(), options);

        Assert.Equal(3, _server.Requests.Count);
        Assert.All(_server.Requests, r => Assert.Equal(options.IdempotencyKey, r.Header("Idempotency-Key")));
    }

    [Fact]
    public async Task An_idempotency_key_longer_than_stripe_allows_is_refused_before_sending()
    {
        var client = _server.CreateClient();

        await Assert.ThrowsAsync<ArgumentException>(() =>
            client.Customers.CreateAsync(new CustomerCreateRequest(), new RequestOptions { IdempotencyKey = new string('k', 256) }));

        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Dropped_connection_is_retried_and_keeps_the_key()
    {
        _server.Drop().Respond(200, CustomerJson);
        var client = _server.CreateClient();

        var response = await client.SendAsync(HttpMethod.Post, "v1/customers", new CustomerCreateRequest { Name = "Ada" });

        Assert.Equal(2, response.Attempts);
        Assert.Equal(2, _server.Requests.Count);
        Assert.Equal(_server.Requests[0].Header("Idempotency-Key"), _server.Requests[1].Header("Idempotency-Key"));
    }

    [Fact]
    public async Task Network_failures_past_the_retry_budget_surface_as_a_connection_error()
    {
        _server.Drop().Drop().Drop().Drop();
        var client = _server.CreateClient(o => o.MaxNetworkRetries = 2);

        var error = await Assert.ThrowsAsync<StripeException>(() => client.Customers.GetAsync("cus_1"));

        Assert.Equal(StripeErrorKind.Connection, error.Kind);
        Assert.Null(error.HttpStatus);
        Assert.NotNull(error.InnerException);
        Assert.Equal(3, _server.Requests.Count);
    }

    [Fact]
    public async Task An_attempt_that_times_out_is_retried_then_reported_as_a_connection_error()
    {
        _server.Stall(TimeSpan.FromSeconds(10)).Stall(TimeSpan.FromSeconds(10));
        var client = _server.CreateClient(o => { o.RequestTimeout = TimeSpan.FromMilliseconds(200); o.MaxNetworkRetries = 1; });

        var error = await Assert.ThrowsAsync<StripeException>(() => client.Customers.GetAsync("cus_1"));

        Assert.Equal(StripeErrorKind.Connection, error.Kind);
        Assert.IsType<TimeoutException>(error.InnerException);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task Should_retry_false_forbids_retrying_a_500_and_the_error_is_typed()
    {
        _server.Respond(500, """{"error":{"type":"api_error","code":"internal","message":"boom"}}""", ("Stripe-Should-Retry", "false"));
        var client = _server.CreateClient();

        var error = await Assert.ThrowsAsync<StripeException>(() => client.Customers.CreateAsync(new CustomerCreateRequest()));

        Assert.Single(_server.Requests);
        Assert.Equal(StripeErrorKind.Api, error.Kind);
        Assert.Equal(HttpStatusCode.InternalServerError, error.HttpStatus);
        Assert.Equal("api_error", error.Type);
        Assert.Equal("internal", error.Code);
        Assert.Equal("boom", error.StripeMessage);
        Assert.Equal("req_scripted_1", error.RequestId);
        Assert.Contains("req_scripted_1", error.Message);
    }

    [Fact]
    public async Task Should_retry_true_forces_a_retry_of_an_otherwise_final_400()
    {
        _server.Respond(400, """{"error":{"type":"invalid_request_error","message":"try again"}}""", ("Stripe-Should-Retry", "true"))
               .Respond(200, CustomerJson);
        var client = _server.CreateClient();

        var customer = await client.Customers.CreateAsync(new CustomerCreateRequest());

        Assert.Equal("cus_1", customer.Id);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task Lock_conflict_409_is_retried()
    {
        _server.Respond(409, """{"error":{"type":"invalid_request_error","code":"idempotency_key_in_use","message":"in flight"}}""")
               .Respond(200, CustomerJson);
        var client = _server.CreateClient();

        await client.Customers.CreateAsync(new CustomerCreateRequest());

        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task Server_errors_are_retried_up_to_the_limit_then_thrown()
    {
        for (var i = 0; i < 5; i++)
            _server.Respond(503, """{"error":{"type":"api_error","message":"unavailable"}}""");
        var client = _server.CreateClient(o => o.MaxNetworkRetries = 2);

        var error = await Assert.ThrowsAsync<StripeException>(() => client.Customers.CreateAsync(new CustomerCreateRequest()));

        Assert.Equal(3, _server.Requests.Count);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.HttpStatus);
        Assert.Equal(StripeErrorKind.Api, error.Kind);
    }

    [Fact]
    public async Task Per_call_retry_override_of_zero_makes_a_single_attempt()
    {
        _server.Respond(503, """{"error":{"type":"api_error"}}""").Respond(200, CustomerJson);
        var client = _server.CreateClient();

        await Assert.ThrowsAsync<StripeException>(() => client.Customers.CreateAsync(new CustomerCreateRequest(), new RequestOptions { MaxNetworkRetries = 0 }));

        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Retry_after_is_honoured()
    {
        _server.Respond(429, """{"error":{"type":"invalid_request_error","code":"rate_limit"}}""", ("Retry-After", "1"))
               .Respond(200, CustomerJson);
        var client = _server.CreateClient();

        await client.Customers.CreateAsync(new CustomerCreateRequest());

        var gap = _server.Requests[1].At - _server.Requests[0].At;
        Assert.True(gap >= TimeSpan.FromMilliseconds(900), $"second attempt came after {gap.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task Retry_after_is_capped()
    {
        _server.Respond(429, """{"error":{"type":"invalid_request_error"}}""", ("Retry-After", "120"))
               .Respond(200, CustomerJson);
        var client = _server.CreateClient(o => o.MaxRetryAfter = TimeSpan.FromMilliseconds(50));
        var watch = Stopwatch.StartNew();

        await client.Customers.CreateAsync(new CustomerCreateRequest());

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task Exponential_backoff_is_capped_by_max_retry_delay()
    {
        _server.Respond(500, "{}").Respond(500, "{}").Respond(500, "{}").Respond(200, CustomerJson);
        var client = _server.CreateClient(o =>
        {
            o.MaxNetworkRetries = 3;
            o.InitialRetryDelay = TimeSpan.FromSeconds(30);
            o.MaxRetryDelay = TimeSpan.FromMilliseconds(100);
        });
        var watch = Stopwatch.StartNew();

        await client.Customers.CreateAsync(new CustomerCreateRequest());

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        var gaps = Enumerable.Range(1, 3).Select(i => _server.Requests[i].At - _server.Requests[i - 1].At).ToList();
        // Equal jitter: never less than half the capped delay.
        Assert.All(gaps, g => Assert.True(g >= TimeSpan.FromMilliseconds(45), $"gap {g.TotalMilliseconds} ms"));
    }

    [Fact]
    public async Task Caller_cancellation_during_backoff_stops_retrying()
    {
        _server.Respond(500, "{}").Respond(200, CustomerJson);
        var client = _server.CreateClient(o => { o.InitialRetryDelay = TimeSpan.FromSeconds(20); o.MaxRetryDelay = TimeSpan.FromSeconds(20); });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.Customers.CreateAsync(new CustomerCreateRequest(), ct: cts.Token));

        Assert.Single(_server.Requests);
    }
}
