using Xunit;

namespace Billing.Stripe.Tests.Client;

/// <summary>What goes over the wire: headers, paths, query strings and bodies.</summary>
public sealed class RequestShapeTests : IAsyncLifetime
{
    private ScriptedStripeServer _server = null!;

    public async Task InitializeAsync() => _server = await ScriptedStripeServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Every_call_carries_the_key_version_and_connect_account()
    {
        _server.Respond(200, """{"id":"acct_1","object":"account","charges_enabled":true}""");
        var client = _server.CreateClient(o => o.ApiVersion = "2099-01-01.test");

        var account = await client.Accounts.GetAsync("acct_1", new RequestOptions { StripeAccount = "acct_connected" });

        var request = Assert.Single(_server.Requests);
        Assert.True(account.ChargesEnabled);
        Assert.Equal("Bearer sk_test_scripted", request.Header("Authorization"));
        Assert.Equal("2099-01-01.test", request.Header("Stripe-Version"));
        Assert.Equal("acct_connected", request.Header("Stripe-Account"));
        Assert.Equal("GET", request.Method);
        Assert.Equal("/v1/accounts/acct_1", request.Path);
    }

    [Fact]
    public async Task Get_sends_parameters_and_expand_in_the_query_and_no_idempotency_key()
    {
        _server.Respond(200, """{"object":"list","data":[],"has_more":false,"url":"/v1/checkout/sessions"}""");
        var client = _server.CreateClient();

        await client.CheckoutSessions.ListAsync(
            new CheckoutSessionListRequest { Customer = "cus_1", Status = CheckoutSessionStatus.Complete, Limit = 3 },
            new RequestOptions { Expand = ["data.line_items", "data.customer"] });

        var request = Assert.Single(_server.Requests);
        Assert.Null(request.Header("Idempotency-Key"));
        Assert.Equal("?customer=cus_1&status=complete&limit=3&expand[]=data.line_items&expand[]=data.customer", request.Query);
        Assert.Equal("", request.Body);
    }

    [Fact]
    public async Task Post_sends_a_form_body()
    {
        _server.Respond(200, """{"id":"cs_test_1","object":"checkout.session","mode":"subscription","status":"open","url":"https://checkout.example/cs_test_1","created":1}""");
        var client = _server.CreateClient();

        var session = await client.CheckoutSessions.CreateAsync(new CheckoutSessionCreateRequest
        {
            Mode = CheckoutMode.Subscription,
            LineItems = [new() { Price = "price_1", Quantity = 1 }],
            SuccessUrl = "https://app.example/ok?session={CHECKOUT_SESSION_ID}",
        });

        var request = Assert.Single(_server.Requests);
        Assert.Equal("open", session.Status);
        Assert.StartsWith("application/x-www-form-urlencoded", request.Header("Content-Type"));
        Assert.Equal("mode=subscription&line_items[0][price]=price_1&line_items[0][quantity]=1&success_url=https%3A%2F%2Fapp.example%2Fok%3Fsession%3D%7BCHECKOUT_SESSION_ID%7D", request.Body);
    }

    [Fact]
    public async Task Ids_are_escaped_into_a_single_path_segment()
    {
        _server.Respond(200, """{"id":"x","object":"customer","created":1}""");
        var client = _server.CreateClient();

        await client.Customers.GetAsync("../v1/accounts");

        Assert.Equal("/v1/customers/..%2Fv1%2Faccounts", _server.Requests[0].Path);
    }

    [Fact]
    public async Task Empty_ids_are_refused_before_any_request()
    {
        var client = _server.CreateClient();

        await Assert.ThrowsAsync<ArgumentException>(() => client.Subscriptions.GetAsync(""));

        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Subscription_cancel_is_a_delete_with_its_parameters_in_the_query()
    {
        _server.Respond(200, """{"id":"sub_1","object":"subscription","status":"canceled","canceled_at":1700000000,"items":{"object":"list","data":[],"has_more":false}}""");
        var client = _server.CreateClient();

        var subscription = await client.Subscriptions.CancelAsync("sub_1", new SubscriptionCancelRequest { InvoiceNow = true, Prorate = false });

        var request = Assert.Single(_server.Requests);
        Assert.Equal("DELETE", request.Method);
        Assert.Equal("?invoice_now=true&prorate=false", request.Query);
        Assert.Equal("canceled", subscription.Status);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), subscription.CanceledAt);
    }

    [Fact]
    public async Task Auto_pager_follows_starting_after_until_has_more_is_false()
    {
        _server.Respond(200, """{"object":"list","data":[{"id":"cus_3","object":"customer","created":3},{"id":"cus_2","object":"customer","created":2}],"has_more":true}""")
               .Respond(200, """{"object":"list","data":[{"id":"cus_1","object":"customer","created":1}],"has_more":false}""");
        var client = _server.CreateClient();

        var ids = new List<string>();
        await foreach (var customer in client.Customers.ListAutoPagingAsync(new CustomerListRequest { Limit = 2, Email = "a@example.com" }))
            ids.Add(customer.Id);

        Assert.Equal(["cus_3", "cus_2", "cus_1"], ids);
        Assert.Equal("?email=a%40example.com&limit=2", _server.Requests[0].Query);
        Assert.Equal("?email=a%40example.com&limit=2&starting_after=cus_2", _server.Requests[1].Query);
    }

    [Fact]
    public async Task Auto_pager_goes_backward_from_ending_before()
    {
        _server.Respond(200, """{"object":"list","data":[{"id":"evt_5","object":"event","created":5,"data":{"object":{}}}],"has_more":true}""")
               .Respond(200, """{"object":"list","data":[{"id":"evt_6","object":"event","created":6,"data":{"object":{}}}],"has_more":false}""");
        var client = _server.CreateClient();

        var ids = new List<string>();
        await foreach (var e in client.Events.ListAutoPagingAsync(new EventListRequest { EndingBefore = "evt_4", Limit = 1 }))
            ids.Add(e.Id);

        Assert.Equal(["evt_5", "evt_6"], ids);
        Assert.Equal("?limit=1&ending_before=evt_5", _server.Requests[1].Query);
    }

    [Fact]
    public async Task Auto_pager_stops_early_when_the_caller_stops()
    {
        _server.Respond(200, """{"object":"list","data":[{"id":"prod_2","object":"product","created":2},{"id":"prod_1","object":"product","created":1}],"has_more":true}""");
        var client = _server.CreateClient();

        await foreach (var product in client.Products.ListAutoPagingAsync())
        {
            Assert.Equal("prod_2", product.Id);
            break;
        }

        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Raw_send_exposes_replay_and_request_id_headers()
    {
        _server.Respond(200, """{"id":"re_1","object":"refund","amount":100,"currency":"usd","created":1}""", ("Idempotent-Replayed", "true"));
        var client = _server.CreateClient();

        var response = await client.SendAsync(HttpMethod.Post, "/v1/refunds", new RefundCreateRequest { PaymentIntent = "pi_1" }, new RequestOptions { IdempotencyKey = "refund-ord_1" });

        Assert.True(response.IdempotentReplayed);
        Assert.Equal("req_scripted_1", response.RequestId);
        Assert.Equal(1, response.Attempts);
        Assert.Equal("payment_intent=pi_1", _server.Requests[0].Body);
    }
}
