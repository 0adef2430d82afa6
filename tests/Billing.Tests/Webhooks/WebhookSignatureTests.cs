using System.Net;
using System.Text;
using System.Text.Json;
using Billing.Stripe.Webhooks;
using Billing.Tests.Gateway;
using Billing.Tests.Infrastructure;

namespace Billing.Tests.Webhooks;

/// <summary>Deliveries through the gateway, as Stripe reaches us: only a verified event is stored.</summary>
[Collection(InfrastructureCollection.Name)]
public sealed class WebhookSignatureTests(InfrastructureFixture infrastructure) : IAsyncLifetime
{
    private TestService _webhooks = null!;
    private EchoBackends _others = null!;
    private TestGateway _gateway = null!;
    private StripeEventProbe _probe = null!;
    private readonly string _app = TestApps.NewAppId();

    public async Task InitializeAsync()
    {
        _probe = await StripeEventProbe.StartAsync(infrastructure);
        _webhooks = await WebhooksTestHost.StartAsync(infrastructure);
        _others = await EchoBackends.StartAsync(except: "webhooks");
        _gateway = await TestGateway.StartAsync(infrastructure, _others.Destinations(("webhooks", [_webhooks.Address])));
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _others.DisposeAsync();
        await _webhooks.DisposeAsync();
        await _probe.DisposeAsync();
    }

    [Fact]
    public async Task A_signed_event_is_stored_and_published()
    {
        var eventId = TestStripeEvents.NewEventId();
        using var response = await _gateway.Client.SendAsync(WebhooksTestHost.Signed("/webhooks/stripe", TestStripeEvents.InvoicePaid(_app, eventId)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, await WebhookRows.StoredAsync(infrastructure.Database("webhooks"), eventId));
        var published = Assert.Single(await _probe.WaitForAsync(e => e.Origin.StripeEventId == eventId, 1));
        Assert.Equal(_app, published.Message.AppId);
    }

    [Fact]
    public async Task An_event_signed_with_the_second_secret_of_a_roll_is_accepted()
    {
        var eventId = TestStripeEvents.NewEventId();
        using var response = await _gateway.Client.SendAsync(
            WebhooksTestHost.Signed("/webhooks/stripe", TestStripeEvents.InvoicePaid(_app, eventId), WebhooksTestHost.RotatedSecret));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, await WebhookRows.StoredAsync(infrastructure.Database("webhooks"), eventId));
    }

    [Fact]
    public async Task A_connect_event_verifies_with_the_connect_secret_only()
    {
        var body = TestStripeEvents.InvoicePaid(_app);
        using var withPlatformSecret = await _gateway.Client.SendAsync(WebhooksTestHost.Signed("/webhooks/stripe/connect", body));
        using var withConnectSecret = await _gateway.Client.SendAsync(
            WebhooksTestHost.Signed("/webhooks/stripe/connect", body, WebhooksTestHost.ConnectSecret));

        Assert.Equal(HttpStatusCode.BadRequest, withPlatformSecret.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withConnectSecret.StatusCode);
    }

    public static TheoryData<string> Refusals => ["missing header", "bad signature", "wrong secret", "stale timestamp", "not an event"];

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_delivery_that_does_not_verify_is_refused_with_400_and_nothing_is_stored(string refusal)
    {
        var eventId = TestStripeEvents.NewEventId();
        var body = TestStripeEvents.InvoicePaid(_app, eventId);
        using var request = refusal switch
        {
            "missing header" => WebhooksTestHost.Unsigned("/webhooks/stripe", body),
            "bad signature" => WithHeader(body, $"t={DateTimeOffset.UtcNow.ToUnixTimeSeconds()},v1={new string('a', 64)}"),
            "wrong secret" => WebhooksTestHost.Signed("/webhooks/stripe", body, "whsec_someone_else"),
            "stale timestamp" => WebhooksTestHost.Signed("/webhooks/stripe", body, at: DateTimeOffset.UtcNow.AddSeconds(-301)),
            "not an event" => WebhooksTestHost.Signed("/webhooks/stripe", JsonSerializer.Serialize(new { id = eventId, @object = "customer" })),
            _ => throw new ArgumentOutOfRangeException(nameof(refusal)),
        };

        using var response = await _gateway.Client.SendAsync(request);

        await ProblemAssert.IsProblem(response, 400, "validation_failed");
        Assert.Equal(0, await WebhookRows.StoredAsync(infrastructure.Database("webhooks"), eventId));
    }

    [Fact]
    public async Task A_body_over_the_limit_is_refused_with_413_and_nothing_is_stored()
    {
        var eventId = TestStripeEvents.NewEventId();
        var padded = TestStripeEvents.Build("invoice.paid", new() { ["id"] = "in_big", ["object"] = "invoice", ["padding"] = new string('x', 70_000) },
            _app, eventId);

        using var response = await _gateway.Client.SendAsync(WebhooksTestHost.Signed("/webhooks/stripe", padded));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, await WebhookRows.StoredAsync(infrastructure.Database("webhooks"), eventId));
    }

    [Fact]
    public async Task Refusals_are_counted_in_the_rejected_metric()
    {
        using var listener = new RejectionCounter();
        using var response = await _gateway.Client.SendAsync(WebhooksTestHost.Unsigned("/webhooks/stripe", TestStripeEvents.InvoicePaid(_app)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(nameof(WebhookFailureReason.MissingHeader), listener.Reasons);
    }

    private static HttpRequestMessage WithHeader(string body, string header)
    {
        var request = WebhooksTestHost.Unsigned("/webhooks/stripe", body);
        request.Headers.Add("Stripe-Signature", header);
        return request;
    }
}
