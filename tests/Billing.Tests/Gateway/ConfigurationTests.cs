using Billing.Gateway;
using Microsoft.Extensions.Options;

namespace Billing.Tests.Gateway;

public sealed class ConfigurationTests
{
    private static readonly Uri Somewhere = new("http://127.0.0.1:5999/");

    [Fact]
    public void A_service_without_an_address_stops_the_gateway_with_the_key_to_set()
    {
        var destinations = new[] { "catalog", "subscriptions", "connect", "usage", "webhooks" }.ToDictionary(s => s, _ => new[] { Somewhere });

        var error = Assert.Throws<InvalidOperationException>(() => GatewayService.Build(TestGateway.Arguments(destinations)));

        Assert.Contains("services:orders:http:0", error.Message);
        Assert.Contains("services__orders__http__0", error.Message);
        Assert.DoesNotContain("services:catalog", error.Message);
    }

    [Theory]
    [InlineData(null, "Gateway:OperatorKey is missing")]
    [InlineData("bop_short", "Gateway:OperatorKey (environment variable Gateway__OperatorKey) must be bop_")]
    [InlineData("sk_0123456789abcdef0123456789abcdef0123", "must be bop_ followed by at least 32 random characters")]
    public async Task A_missing_or_weak_operator_key_stops_the_gateway_at_start_naming_the_key(string? operatorKey, string message)
    {
        var arguments = TestGateway.Arguments(AllServices(), new Dictionary<string, string?> { ["Gateway:OperatorKey"] = operatorKey ?? "" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => BuildAndStart(arguments));

        Assert.Contains(message, error.Message);
        if (operatorKey is not null) Assert.DoesNotContain(operatorKey, error.Message);
    }

    [Theory]
    [InlineData("", "Identity:SigningKey is missing (environment variable Identity__SigningKey)")]
    [InlineData("bm90IGEga2V5", "Identity:SigningKey (environment variable Identity__SigningKey) is not a base64 PKCS#8 ECDSA private key")]
    public async Task A_missing_or_unreadable_signing_key_stops_the_gateway_at_start_naming_the_key(string signingKey, string message)
    {
        var arguments = TestGateway.Arguments(AllServices(), new Dictionary<string, string?> { ["Identity:SigningKey"] = signingKey });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => BuildAndStart(arguments));

        Assert.Contains(message, error.Message);
    }

    [Theory]
    [InlineData("", "Missing configuration ConnectionStrings:redis (environment variable ConnectionStrings__redis)")]
    [InlineData("127.0.0.1:6379,colour=blue", "Invalid configuration ConnectionStrings:redis")]
    public void A_missing_or_malformed_redis_connection_string_stops_the_gateway_naming_the_key(string connectionString, string message)
    {
        var arguments = TestGateway.Arguments(AllServices(), new Dictionary<string, string?> { ["ConnectionStrings:redis"] = connectionString });

        var error = Assert.Throws<InvalidOperationException>(() => GatewayService.Build(arguments));

        Assert.StartsWith(message, error.Message);
    }

    // Options are checked when first used, which for some is already while the gateway is built.
    private static async Task BuildAndStart(string[] arguments)
    {
        await using var app = GatewayService.Build(arguments);
        await app.StartAsync();
        await app.StopAsync();
    }

    private static Dictionary<string, Uri[]> AllServices() =>
        new[] { "catalog", "subscriptions", "orders", "connect", "usage", "webhooks" }.ToDictionary(s => s, _ => new[] { Somewhere });

    [Fact]
    public void An_address_that_is_not_an_http_url_stops_the_gateway_naming_its_key()
    {
        var destinations = new[] { "catalog", "subscriptions", "orders", "connect", "usage", "webhooks" }.ToDictionary(s => s, _ => new[] { Somewhere });
        var arguments = TestGateway.Arguments(destinations, new Dictionary<string, string?> { ["services:usage:http:1"] = "not a url" });

        var error = Assert.Throws<InvalidOperationException>(() => GatewayService.Build(arguments));

        Assert.Contains("services:usage:http:1", error.Message);
    }
}
