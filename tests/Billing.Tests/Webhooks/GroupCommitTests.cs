using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Billing.ServiceDefaults.Api;
using Billing.Tests.Infrastructure;
using Billing.Webhooks.Ingest;
using Billing.Webhooks.Model;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Billing.Tests.Webhooks;

/// <summary>
/// Deliveries arriving together are stored by one statement (<see cref="ReceivedEventWriter"/>):
/// batching must not cost a duplicate, an outbox row, or a neighbour's delivery.
/// </summary>
[Collection(InfrastructureCollection.Name)]
public sealed class GroupCommitTests(InfrastructureFixture fixture) : WebhooksWithProbe(fixture)
{
    [Fact]
    public async Task Forty_events_each_delivered_three_times_at_once_are_stored_staged_and_acknowledged_as_new_once_each()
    {
        var eventIds = Enumerable.Range(0, 40).Select(_ => TestStripeEvents.NewEventId()).ToList();
        var bodies = eventIds.ToDictionary(id => id, id => TestStripeEvents.InvoicePaid(App, id));
        var deliveries = eventIds.SelectMany(id => Enumerable.Repeat(id, 3)).OrderBy(_ => Random.Shared.Next()).ToList();
        using var batches = new MeasurementRecorder<int>(ReceivedEventWriter.BatchSize);

        var receipts = await Task.WhenAll(deliveries.Select(async id =>
        {
            using var response = await Webhooks.Client.SendAsync(WebhooksTestHost.Signed("/webhooks/stripe", bodies[id]));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var receipt = await response.Content.ReadFromJsonAsync<JsonElement>();
            return (Id: receipt.GetProperty("eventId").GetString()!, Duplicate: receipt.GetProperty("duplicate").GetBoolean());
        }));

        var database = Infrastructure.Database("webhooks");
        Assert.All(receipts.GroupBy(r => r.Id), copies => Assert.Equal(1, copies.Count(c => !c.Duplicate)));
        // Every delivery went through exactly one committed statement, and 120 at once were not stored one by one.
        Assert.Equal(deliveries.Count, batches.Values.Sum());
        Assert.True(batches.Values.Max() > 1, $"batch sizes: {string.Join(", ", batches.Values)}");
        Assert.Equal(40, await WebhookRows.CountAsync(database, "select count(*) from webhooks.received_events where stripe_event_id = any(@ids)", ("ids", eventIds.ToArray())));
        foreach (var id in eventIds) Assert.Equal(1, await WebhookRows.OutboxRowsAsync(database, id));
        await Probe.WaitForAsync(e => eventIds.Contains(e.Origin.StripeEventId), eventIds.Count);
        var published = await Probe.SettleAsync(e => eventIds.Contains(e.Origin.StripeEventId));
        Assert.Equal(eventIds.Order(), published.Select(p => p.Message.Origin.StripeEventId).Order());
    }

    [Fact]
    public async Task A_row_Postgres_refuses_fails_only_its_own_write_not_the_rows_queued_with_it()
    {
        var writer = Webhooks.Services.GetRequiredService<ReceivedEventWriter>();
        var good = Enumerable.Range(0, 10).Select(_ => Row("{}")).ToList();
        var bad = Row("{not json");

        // Queued in one go, so the writer finds them together.
        var writes = good.Select(r => writer.WriteAsync(r, null, CancellationToken.None)).ToList();
        var refused = writer.WriteAsync(bad, null, CancellationToken.None);

        Assert.All(await Task.WhenAll(writes), outcome => Assert.Equal(IngestOutcome.Stored, outcome));
        var error = await Assert.ThrowsAsync<PostgresException>(() => refused);
        Assert.Equal(PostgresErrorCodes.InvalidTextRepresentation, error.SqlState);
        var database = Infrastructure.Database("webhooks");
        Assert.Equal(10, await WebhookRows.CountAsync(database, "select count(*) from webhooks.received_events where stripe_event_id = any(@ids)",
            ("ids", good.Select(r => r.StripeEventId).ToArray())));
        Assert.Equal(0, await WebhookRows.StoredAsync(database, bad.StripeEventId));
    }

    [Fact]
    public async Task An_event_with_a_NUL_character_Postgres_cannot_hold_is_stored_and_published_with_U_FFFD_in_its_place()
    {
        var eventId = TestStripeEvents.NewEventId();
        var body = TestStripeEvents.Build("invoice.paid", new JsonObject
        {
            ["id"] = "in_test_nul", ["object"] = "invoice", ["status"] = "paid", ["customer"] = "cus_test",
            ["amount_due"] = 2900, ["amount_paid"] = 2900, ["currency"] = "usd", ["description"] = "before\u0000after",
        }, App, eventId);
        Assert.Contains(@"\u0000", body);

        using var response = await Webhooks.Client.SendAsync(WebhooksTestHost.Signed("/webhooks/stripe", body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, await WebhookRows.CountAsync(Infrastructure.Database("webhooks"),
            "select count(*) from webhooks.received_events where stripe_event_id = @id and payload->'data'->'object'->>'description' = @text",
            ("id", eventId), ("text", "before\uFFFDafter")));
        Assert.Single(await Probe.WaitForAsync(e => e.Origin.StripeEventId == eventId, 1));
    }

    [Fact]
    public async Task The_stored_event_is_the_body_Stripe_sent_byte_for_byte()
    {
        var eventId = TestStripeEvents.NewEventId();
        // Stripe sends its events indented, in its own key order; jsonb would have kept neither.
        var body = JsonNode.Parse(TestStripeEvents.Build("customer.created",
            new JsonObject { ["id"] = "cus_test_raw", ["object"] = "customer", ["email"] = "raw@example.com" }, App, eventId))!
            .ToJsonString(new JsonSerializerOptions { WriteIndented = true });

        using var response = await Webhooks.Client.SendAsync(WebhooksTestHost.Signed("/webhooks/stripe", body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, await WebhookRows.CountAsync(Infrastructure.Database("webhooks"),
            "select count(*) from webhooks.received_events where stripe_event_id = @id and payload::text = @body",
            ("id", eventId), ("body", body)));
    }

    private static ReceivedEvent Row(string payload) => new()
    {
        Id = Ids.New("whe"), StripeEventId = TestStripeEvents.NewEventId(), Type = "customer.created",
        StripeCreatedAt = DateTimeOffset.UtcNow, Payload = payload, Status = ProcessingStatus.Ignored,
    };
}
