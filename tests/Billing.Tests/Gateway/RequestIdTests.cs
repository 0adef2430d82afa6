using Billing.Tests.Infrastructure;

namespace Billing.Tests.Gateway;

[Collection(InfrastructureCollection.Name)]
public sealed class RequestIdTests(EchoGatewayFixture fixture) : IClassFixture<EchoGatewayFixture>
{
    [Fact]
    public async Task A_request_without_an_id_gets_one_that_the_service_receives_and_the_caller_gets_back()
    {
        using var request = fixture.Request("GET", "/v1/app_1/billing/plans");
        using var response = await fixture.Gateway.Client.SendAsync(request);

        var returned = response.Headers.GetValues("X-Request-Id").Single();
        Assert.StartsWith("req_", returned);
        Assert.Equal(returned, (await EchoReply.ReadAsync(response)).RequestId);
    }

    [Fact]
    public async Task A_well_formed_id_from_the_caller_is_kept_end_to_end()
    {
        using var request = fixture.Request("GET", "/v1/app_1/usage/meters");
        request.Headers.Add("X-Request-Id", "client-42.retry_1");

        using var response = await fixture.Gateway.Client.SendAsync(request);

        Assert.Equal("client-42.retry_1", response.Headers.GetValues("X-Request-Id").Single());
        Assert.Equal("client-42.retry_1", (await EchoReply.ReadAsync(response)).RequestId);
    }

    [Theory]
    [InlineData("has spaces")]
    [InlineData("line\\nbreak{injected}")]
    [InlineData("an-id-that-is-far-too-long-to-be-kept-because-it-is-over-sixty-four-chars")]
    public async Task A_malformed_id_is_replaced_and_the_service_sees_the_replacement(string malformed)
    {
        using var request = fixture.Request("GET", "/v1/app_1/billing/orders");
        request.Headers.TryAddWithoutValidation("X-Request-Id", malformed);

        using var response = await fixture.Gateway.Client.SendAsync(request);

        var returned = response.Headers.GetValues("X-Request-Id").Single();
        Assert.NotEqual(malformed, returned);
        Assert.StartsWith("req_", returned);
        Assert.Equal(returned, (await EchoReply.ReadAsync(response)).RequestId);
    }
}
