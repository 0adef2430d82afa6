using System.Net.Http.Json;
using System.Text.Json;
using Billing.Tests.Infrastructure;

namespace Billing.Tests.Webhooks;

[Collection(InfrastructureCollection.Name)]
public sealed class DeadLetterTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task An_event_a_consumer_gives_up_on_is_listed_in_dead_letters_with_the_reason()
    {
        var app = TestApps.NewAppId();
        await using var failing = await StripeEventProbe.StartAsync(infrastructure, failWhen: e => e.AppId == app);
        await using var webhooks = await WebhooksTestHost.StartAsync(infrastructure);
        var eventId = TestStripeEvents.NewEventId();

        using var response = await webhooks.Client.SendAsync(WebhooksTestHost.Signed("/webhooks/stripe", TestStripeEvents.InvoicePaid(app, eventId)));
        response.EnsureSuccessStatusCode();

        using var operatorClient = webhooks.ClientAs(TestIdentity.Operator());
        JsonElement listed = default;
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

        Assert.Equal(JsonValueKind.Object, listed.ValueKind);
        Assert.Equal(("InvoicePaid", eventId), (listed.GetProperty("messageType").GetString(), listed.GetProperty("stripeEventId").GetString()));
        Assert.Contains($"The probe refuses {eventId}", listed.GetProperty("reason").GetString());
        Assert.Contains("webhooks-tests-probe", listed.GetProperty("consumer").GetString());
    }
}
