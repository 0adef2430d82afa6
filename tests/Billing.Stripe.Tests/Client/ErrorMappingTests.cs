using System.Net;
using Xunit;

namespace Billing.Stripe.Tests.Client;

/// <summary>How Stripe's error answers become typed <see cref="StripeException"/>s.</summary>
public sealed class ErrorMappingTests : IAsyncLifetime
{
    private ScriptedStripeServer _server = null!;

    public async Task InitializeAsync() => _server = await ScriptedStripeServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData(402, "card_error", "card_declined", StripeErrorKind.Card)]
    [InlineData(400, "invalid_request_error", "parameter_missing", StripeErrorKind.InvalidRequest)]
    [InlineData(404, "invalid_request_error", "resource_missing", StripeErrorKind.InvalidRequest)]
    [InlineData(400, "idempotency_error", null, StripeErrorKind.Idempotency)]
    [InlineData(401, "invalid_request_error", null, StripeErrorKind.Authentication)]
    [InlineData(403, "invalid_request_error", null, StripeErrorKind.Permission)]
    public async Task Client_errors_are_not_retried_and_map_to_a_kind(int status, string type, string? code, StripeErrorKind kind)
    {
        var codeJson = code is null ? "" : $",\"code\":\"{code}\"";
        _server.Respond(status, $$$"""{"error":{"type":"{{{type}}}"{{{codeJson}}},"message":"nope","param":"customer"}}""");
        var client = _server.CreateClient();

        var error = await Assert.ThrowsAsync<StripeException>(() => client.Customers.CreateAsync(new CustomerCreateRequest()));

        Assert.Single(_server.Requests);
        Assert.Equal(kind, error.Kind);
        Assert.Equal((HttpStatusCode)status, error.HttpStatus);
        Assert.Equal(type, error.Type);
        Assert.Equal(code, error.Code);
        Assert.Equal("customer", error.Param);
    }

    [Fact]
    public async Task Card_decline_carries_the_decline_code()
    {
        _server.Respond(402, """{"error":{"type":"card_error","code":"card_declined","decline_code":"insufficient_funds","message":"Your card has insufficient funds.","charge":"ch_1"}}""");
        var client = _server.CreateClient();

        var error = await Assert.ThrowsAsync<StripeException>(() => client.PaymentIntents.CaptureAsync("pi_1"));

        Assert.Equal(StripeErrorKind.Card, error.Kind);
        Assert.Equal("insufficient_funds", error.DeclineCode);
        Assert.Equal("ch_1", error.Error!.Charge);
        Assert.Equal("/v1/payment_intents/pi_1/capture", _server.Requests[0].Path);
    }

    [Fact]
    public async Task Rate_limit_after_the_retries_is_a_rate_limit_error()
    {
        _server.Respond(429, """{"error":{"type":"invalid_request_error","code":"rate_limit"}}""");
        var client = _server.CreateClient(o => o.MaxNetworkRetries = 0);

        var error = await Assert.ThrowsAsync<StripeException>(() => client.Customers.GetAsync("cus_1"));

        Assert.Equal(StripeErrorKind.RateLimit, error.Kind);
    }

    [Fact]
    public async Task A_non_json_error_body_still_gives_a_typed_error()
    {
        _server.Respond(502, "<html>bad gateway</html>", ("Stripe-Should-Retry", "false"));
        var client = _server.CreateClient();

        var error = await Assert.ThrowsAsync<StripeException>(() => client.Customers.GetAsync("cus_1"));

        Assert.Equal(StripeErrorKind.Api, error.Kind);
        Assert.Equal(HttpStatusCode.BadGateway, error.HttpStatus);
        Assert.Contains("502", error.Message);
    }

    [Fact]
    public async Task A_success_body_that_is_not_the_expected_object_is_an_api_error()
    {
        _server.Respond(200, "not json");
        var client = _server.CreateClient();

        var error = await Assert.ThrowsAsync<StripeException>(() => client.Customers.GetAsync("cus_1"));

        Assert.Equal(StripeErrorKind.Api, error.Kind);
        Assert.Single(_server.Requests);
    }
}
