using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Billing.Tests.Infrastructure;

namespace Billing.Tests.Messaging;

public sealed class ServiceBusConfigurationTests
{
    [Fact]
    public void A_missing_RabbitMQ_connection_string_stops_the_start_with_a_message_naming_it()
    {
        var error = Assert.Throws<InvalidOperationException>(() => MessagingTestHost.Build(
            ["--ConnectionStrings:gatewaydb=Host=127.0.0.1;Database=billing"], new Received(), new LogCapture()));

        Assert.Contains("ConnectionStrings:rabbitmq", error.Message);
    }
}

[Collection(InfrastructureCollection.Name)]
public sealed class ServiceBusHealthTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task Health_reports_the_bus_among_the_ready_checks_once_connected()
    {
        await using var host = await MessagingTestHost.StartAsync(infrastructure, new Received());

        JsonElement health = default;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        do
        {
            var response = await host.Client.GetAsync("/health");
            health = await response.Content.ReadFromJsonAsync<JsonElement>();
            if (response.StatusCode == HttpStatusCode.OK) break;
            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Equal("Healthy", health.GetProperty("status").GetString());
        Assert.Equal("Healthy", health.GetProperty("checks").GetProperty("rabbitmq").GetProperty("status").GetString());
        var alive = await host.Client.GetFromJsonAsync<JsonElement>("/alive");
        Assert.False(alive.GetProperty("checks").TryGetProperty("rabbitmq", out _), "the bus is a readiness check, not a liveness one");
    }
}
