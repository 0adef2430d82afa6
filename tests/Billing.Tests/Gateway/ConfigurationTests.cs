using Billing.Gateway;
using Billing.ServiceDefaults.Hosting;

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

    [Fact]
    public async Task Migrate_succeeds_without_doing_anything_because_the_gateway_has_no_database_yet()
    {
        var destinations = new[] { "catalog", "subscriptions", "orders", "connect", "usage", "webhooks" }.ToDictionary(s => s, _ => new[] { Somewhere });

        var exitCode = await ServiceHost.RunAsync(["migrate", .. TestGateway.Arguments(destinations)], GatewayService.Build);

        Assert.Equal(0, exitCode);
    }

    [Fact]
    public void An_address_that_is_not_an_http_url_stops_the_gateway_naming_its_key()
    {
        var destinations = new[] { "catalog", "subscriptions", "orders", "connect", "usage", "webhooks" }.ToDictionary(s => s, _ => new[] { Somewhere });
        var arguments = TestGateway.Arguments(destinations, new Dictionary<string, string?> { ["services:usage:http:1"] = "not a url" });

        var error = Assert.Throws<InvalidOperationException>(() => GatewayService.Build(arguments));

        Assert.Contains("services:usage:http:1", error.Message);
    }
}
