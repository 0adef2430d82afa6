using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Billing.Tests.Gateway;
using Billing.Tests.Infrastructure;

namespace Billing.Tests.Webhooks;

[Collection(InfrastructureCollection.Name)]
public sealed class ReplayTests(InfrastructureFixture fixture) : WebhooksWithProbe(fixture)
{
    private HttpClient _operator = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _operator = Webhooks.ClientAs(TestIdentity.Operator());
    }

    public override async Task DisposeAsync()
    {
        _operator.Dispose();
        await base.DisposeAsync();
    }

    private async Task<ProbedEvent> DeliverAsync(string eventId, DateTimeOffset? created = null)
    {
        var body = created is null
            ? TestStripeEvents.InvoicePaid(App, eventId)
            : TestStripeEvents.Build("invoice.paid", new() { ["id"] = "in_" + eventId[^8..], ["object"] = "invoice", ["status"] = "paid" }, App, eventId, created: created);
        using var response = await Webhooks.Client.SendAsync(WebhooksTestHost.Signed("/webhooks/stripe", body));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Assert.Single(await Probe.WaitForAsync(e => e.Origin.StripeEventId == eventId, 1));
    }

    [Fact]
    public async Task Replaying_one_event_publishes_it_again_with_a_new_message_id_flagged_as_a_replay()
    {
        var eventId = TestStripeEvents.NewEventId();
        var original = await DeliverAsync(eventId);

        using var response = await _operator.PostAsync($"/v1/admin/webhook-events/{eventId}/replay", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var copies = await Probe.WaitForAsync(e => e.Origin.StripeEventId == eventId, 2);
        Assert.Equal(2, copies.Count);
        var replay = copies.Single(c => c.MessageId != original.MessageId);
        Assert.True(replay.IsReplay);
        Assert.False(original.IsReplay);
        Assert.Equal(original.Message.Origin, replay.Message.Origin);
        Assert.NotEqual(original.Message.EventId, replay.Message.EventId);
    }

    [Fact]
    public async Task Replaying_a_range_republishes_the_events_created_in_it_and_only_those()
    {
        var start = DateTimeOffset.UtcNow.AddDays(-3);
        var inRange = new[] { TestStripeEvents.NewEventId(), TestStripeEvents.NewEventId() };
        var outside = TestStripeEvents.NewEventId();
        await DeliverAsync(inRange[0], start.AddMinutes(1));
        await DeliverAsync(inRange[1], start.AddMinutes(2));
        await DeliverAsync(outside, start.AddMinutes(10));

        using var response = await _operator.PostAsJsonAsync("/v1/admin/webhook-events/replay",
            new { from = start, to = start.AddMinutes(5), type = "invoice.paid" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(inRange.Order(), body.GetProperty("stripeEventIds").EnumerateArray().Select(e => e.GetString()!).Order());
        foreach (var id in inRange)
            Assert.Contains(await Probe.WaitForAsync(e => e.Origin.StripeEventId == id, 2), p => p.IsReplay);
        Assert.Single(await Probe.SettleAsync(e => e.Origin.StripeEventId == outside));
    }

    [Fact]
    public async Task An_unknown_event_id_is_404_and_a_range_without_from_is_400()
    {
        using var missing = await _operator.PostAsync($"/v1/admin/webhook-events/{TestStripeEvents.NewEventId()}/replay", null);
        using var noFrom = await _operator.PostAsJsonAsync("/v1/admin/webhook-events/replay", new { to = DateTimeOffset.UtcNow });

        await ProblemAssert.IsProblem(missing, 404, "not_found");
        await ProblemAssert.IsProblem(noFrom, 400, "validation_failed");
    }

    [Fact]
    public async Task A_NUL_character_in_the_replayed_type_is_400_not_500()
    {
        using var response = await _operator.PostAsync("/v1/admin/webhook-events/replay", new StringContent(
            $$"""{"from":"{{DateTimeOffset.UtcNow.AddHours(-1):O}}","type":"invoice.paid\u0000"}""", System.Text.Encoding.UTF8, "application/json"));

        await ProblemAssert.IsProblem(response, 400, "validation_failed");
    }

    [Fact]
    public async Task AnApp_key_cannot_replay_or_read_dead_letters()
    {
        var eventId = TestStripeEvents.NewEventId();
        await DeliverAsync(eventId);
        using var app = Webhooks.ClientFor(App);

        using var one = await app.PostAsync($"/v1/admin/webhook-events/{eventId}/replay", null);
        using var range = await app.PostAsJsonAsync("/v1/admin/webhook-events/replay", new { from = DateTimeOffset.UtcNow.AddHours(-1), to = DateTimeOffset.UtcNow });
        using var deadLetters = await app.GetAsync("/v1/admin/dead-letters");

        Assert.Equal([HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden], new[] { one.StatusCode, range.StatusCode, deadLetters.StatusCode });
        Assert.Single(await Probe.SettleAsync(e => e.Origin.StripeEventId == eventId));
    }
}
