using System.Net.Http.Json;
using System.Text.Json;
using Billing.Tests.Infrastructure;

namespace Billing.Tests.Webhooks;

[Collection(InfrastructureCollection.Name)]
public sealed class DeadLetterTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task An_event_a_consumer_gives_up_on_is_listed_in_dead_letters_and_reads_failed_until_replayed()
    {
        var app = TestApps.NewAppId();
        var failing = await StripeEventProbe.StartAsync(infrastructure, failWhen: e => e.AppId == app);
        await using var webhooks = await WebhooksTestHost.StartAsync(infrastructure);
        using var operatorClient = webhooks.ClientAs(TestIdentity.Operator());
        var eventId = TestStripeEvents.NewEventId();
        JsonElement listed = default;
        try
        {
            using var response = await webhooks.Client.SendAsync(WebhooksTestHost.Signed("/webhooks/stripe", TestStripeEvents.InvoicePaid(app, eventId)));
            response.EnsureSuccessStatusCode();

            var deadline = DateTime.UtcNow.AddSeconds(15);
            while (DateTime.UtcNow < deadline)
            {
                var body = await operatorClient.GetFromJsonAsync<JsonElement>($"/v1/admin/dead-letters?appId={app}");
                var rows = body.GetProperty("data").EnumerateArray().ToList();
                if (rows.Count > 0)
                {
                    listed = Assert.Single(rows);
                    break;
                }
                await Task.Delay(100);
            }
        }
        finally
        {
            // Nobody refuses the event any more: the replay below stays published.
            await failing.DisposeAsync();
        }

        Assert.Equal(JsonValueKind.Object, listed.ValueKind);
        Assert.Equal(("InvoicePaid", eventId), (listed.GetProperty("messageType").GetString(), listed.GetProperty("stripeEventId").GetString()));
        Assert.Contains($"The probe refuses {eventId}", listed.GetProperty("reason").GetString());
        Assert.Contains("webhooks-tests-probe", listed.GetProperty("consumer").GetString());
        Assert.Equal("failed", await StatusAsync(operatorClient, app, eventId));

        using var replay = await operatorClient.PostAsync($"/v1/admin/webhook-events/{eventId}/replay", null);
        replay.EnsureSuccessStatusCode();
        Assert.Equal("published", await StatusAsync(operatorClient, app, eventId));
    }

    private static async Task<string?> StatusAsync(HttpClient operatorClient, string app, string eventId)
    {
        var events = await operatorClient.GetFromJsonAsync<JsonElement>($"/v1/admin/webhook-events?appId={app}");
        return events.GetProperty("data").EnumerateArray()
            .Single(e => e.GetProperty("stripeEventId").GetString() == eventId).GetProperty("status").GetString();
    }
}
