using System.Net;
using Billing.Tests.Infrastructure;

namespace Billing.Tests.Webhooks;

[Collection(InfrastructureCollection.Name)]
public sealed class WebhookDeduplicationTests(InfrastructureFixture fixture) : WebhooksWithProbe(fixture)
{
    [Fact]
    public async Task The_same_event_delivered_five_times_at_once_is_stored_once_and_published_once()
    {
        var eventId = TestStripeEvents.NewEventId();
        var body = TestStripeEvents.InvoicePaid(App, eventId);

        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ =>
            Webhooks.Client.SendAsync(WebhooksTestHost.Signed("/webhooks/stripe", body))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, await WebhookRows.StoredAsync(Infrastructure.Database("webhooks"), eventId));
        Assert.Single(await Probe.WaitForAsync(e => e.Origin.StripeEventId == eventId, 1));
        Assert.Single(await Probe.SettleAsync(e => e.Origin.StripeEventId == eventId));
    }

    [Fact]
    public async Task A_redelivery_after_the_first_was_stored_answers_200_and_publishes_nothing_new()
    {
        var eventId = TestStripeEvents.NewEventId();
        var body = TestStripeEvents.InvoicePaid(App, eventId);
        using var first = await Webhooks.Client.SendAsync(WebhooksTestHost.Signed("/webhooks/stripe", body));
        await Probe.WaitForAsync(e => e.Origin.StripeEventId == eventId, 1);

        using var again = await Webhooks.Client.SendAsync(WebhooksTestHost.Signed("/webhooks/stripe", body));

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(1, await WebhookRows.OutboxRowsAsync(Infrastructure.Database("webhooks"), eventId));
        Assert.Single(await Probe.SettleAsync(e => e.Origin.StripeEventId == eventId));
    }

    [Fact]
    public async Task Every_event_acknowledged_while_RabbitMQ_is_down_is_published_once_it_is_back()
    {
        var eventIds = Enumerable.Range(0, 20).Select(_ => TestStripeEvents.NewEventId()).ToList();
        try
        {
            await Infrastructure.RabbitMq.StopAsync();

            var responses = await Task.WhenAll(eventIds.Select(id =>
                Webhooks.Client.SendAsync(WebhooksTestHost.Signed("/webhooks/stripe", TestStripeEvents.InvoicePaid(App, id)))));
            Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));

            await Infrastructure.RabbitMq.StartAsync(TimeSpan.FromSeconds(90));

            var arrived = await Probe.WaitForAsync(e => eventIds.Contains(e.Origin.StripeEventId), eventIds.Count, TimeSpan.FromSeconds(60));
            Assert.Equal(eventIds.Order(), arrived.Select(a => a.Message.Origin.StripeEventId).Distinct().Order());
        }
        finally
        {
            // Every other test shares this broker.
            if (!await Infrastructure.RabbitMq.IsHealthyAsync()) await Infrastructure.RabbitMq.StartAsync(TimeSpan.FromSeconds(90));
        }
    }
}
