using System.Net;
using Billing.Tests.Infrastructure;

namespace Billing.Tests.Webhooks;

[Collection(InfrastructureCollection.Name)]
public sealed class ThinEventOutageTests(InfrastructureFixture fixture) : WebhooksWithProbe(fixture)
{
    [Fact]
    public async Task A_thin_event_whose_object_Stripe_cannot_serve_is_answered_503_and_nothing_is_stored()
    {
        // The test host's Stripe address refuses connections: the related object cannot be read.
        var eventId = TestStripeEvents.NewEventId();
        var thin = TestStripeEvents.ThinPaymentIntentSucceeded(eventId, "pi_test_thin");

        using var response = await Webhooks.Client.SendAsync(WebhooksTestHost.Signed("/webhooks/stripe", thin));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("could not be read from Stripe", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await WebhookRows.StoredAsync(Infrastructure.Database("webhooks"), eventId));
        Assert.Empty(await Probe.SettleAsync(e => e.Origin.StripeEventId == eventId));
    }
}
