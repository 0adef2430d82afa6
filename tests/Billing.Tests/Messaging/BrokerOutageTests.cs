using System.Net;
using System.Net.Http.Json;
using Billing.Tests.Infrastructure;

namespace Billing.Tests.Messaging;

[Collection(InfrastructureCollection.Name)]
public sealed class BrokerOutageTests(InfrastructureFixture infrastructure)
{
    private const int Events = 20;
    private readonly Received _received = new();

    [Fact]
    public async Task Events_committed_while_RabbitMQ_is_down_all_arrive_once_it_is_back()
    {
        await using var host = await MessagingTestHost.StartAsync(infrastructure, _received);
        var app = TestApps.NewAppId();
        try
        {
            await infrastructure.RabbitMq.StopAsync();

            for (var i = 1; i <= Events; i++)
            {
                var response = await host.Client.PostAsJsonAsync($"/v1/{app}/ledger", new MessagingTestHost.LedgerRequest(i * 100));
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            }
            Assert.Equal(Events, await SchemaQueries.CountAsync(infrastructure,
                "select count(*) from outbox_messages where body->>'appId' = @app and published_at is null", ("app", app)));

            await infrastructure.RabbitMq.StartAsync(TimeSpan.FromSeconds(90));

            var arrived = await _received.WaitForAsync<LedgerEntryRecorded>(e => e.AppId == app, Events, TimeSpan.FromSeconds(60));
            Assert.Equal(Events, arrived.Select(a => a.Message.EntryId).Distinct().Count());
            Assert.Equal(Enumerable.Range(1, Events).Sum(i => i * 100L), arrived.DistinctBy(a => a.Message.EntryId).Sum(a => a.Message.AmountCents));
            Assert.Equal(0, await SchemaQueries.EventuallyCountAsync(infrastructure, 0,
                "select count(*) from outbox_messages where body->>'appId' = @app and published_at is null", ("app", app)));
        }
        finally
        {
            // Every other test shares this broker.
            if (!await infrastructure.RabbitMq.IsHealthyAsync()) await infrastructure.RabbitMq.StartAsync(TimeSpan.FromSeconds(90));
        }
    }
}
