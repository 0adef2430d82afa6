using System.Text.Json;
using Billing.ServiceDefaults.Errors;
using Billing.ServiceDefaults.Security;
using Billing.Usage.Apis;
using Billing.Usage.Customers;
using Billing.Usage.Entitlements;
using Billing.Usage.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Billing.Usage.Ingestion;

public sealed record IngestResponse(int Accepted, int Duplicates, IReadOnlyList<RejectedEvent> Rejected);

public static class UsageEventsApi
{
    public static IEndpointRouteBuilder MapUsageEventsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/v1/{appId}/usage").WithTags("Usage").MapPost("/events", Ingest)
            .Accepts<JsonElement>("application/json").RequireScope("usage:write");
        return routes;
    }

    /// <summary>
    /// Records a batch: 202 with how many events were new, how many were already recorded (in an earlier batch
    /// or earlier in this one), and which were rejected by their index. A customer is named by <c>customerId</c>
    /// (which Usage must know from a subscription, else <c>unknown_customer</c>) or <c>customerExternalId</c>
    /// (always accepted: an external id Usage has not seen yet is kept under that id and counted with the
    /// customer once a subscription names it).
    /// </summary>
    public static async Task<Accepted<IngestResponse>> Ingest(
        string appId, HttpRequest request, MeterDirectory meterDirectory, CustomerDirectory customers, UsageEventWriter writer, UsageCounters counters,
        UsageAlerts alerts, TimeProvider time, CancellationToken ct)
    {
        if (!request.HasJsonContentType()) throw new BadHttpRequestException("The body must be JSON (Content-Type: application/json).", 415);
        // Read here rather than bound as a JsonElement: binding copies a batch (~100 KB) into arrays of its own, on the
        // large object heap, for every batch, and the collections they caused were a twentieth of ingestion's CPU
        // (issue 15). This document's buffers are pooled and go back when it is disposed.
        using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
        var batch = document.RootElement;
        if (batch.ValueKind != JsonValueKind.Object || !batch.TryGetProperty("events", out var events) || events.ValueKind != JsonValueKind.Array)
            throw ApiException.Validation("events", "events must be an array of usage events.");
        var count = events.GetArrayLength();
        if (count is 0 or > UsageEventBatch.MaxEvents)
            throw ApiException.Validation("events", $"events must hold 1 to {UsageEventBatch.MaxEvents} events.");

        var now = time.GetUtcNow();
        var rejected = new List<RejectedEvent>();
        var parsed = events.EnumerateArray().Select((e, i) => UsageEventBatch.Parse(i, e, now, rejected)).OfType<ParsedEvent>().ToList();

        var meters = await meterDirectory.OfAsync(appId, ct);
        var (knownIds, externalKeys) = await customers.KeysAsync(appId,
            parsed.Select(e => e.CustomerId).OfType<string>().Distinct().ToList(),
            parsed.Select(e => e.ExternalId).OfType<string>().Distinct().ToList(), ct);

        var rows = new List<UsageEventRow>(parsed.Count);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var duplicatesInBatch = 0;
        foreach (var e in parsed)
        {
            if (!meters.TryGetValue(e.Meter, out var meter)) { rejected.Add(new RejectedEvent(e.Index, UsageEventBatch.Codes.UnknownMeter)); continue; }
            if (e.CustomerId is not null && !knownIds.Contains(e.CustomerId))
            {
                rejected.Add(new RejectedEvent(e.Index, UsageEventBatch.Codes.UnknownCustomer));
                continue;
            }
            // The first of several events with one id is the one that counts, as if they had come in separate batches.
            if (!ids.Add(e.Id)) { duplicatesInBatch++; continue; }
            rows.Add(new UsageEventRow(e.Id, e.CustomerId ?? externalKeys[e.ExternalId!], e.Meter, meter.Aggregation.ToString(), e.Quantity, e.Timestamp));
        }

        var (inserted, aggregates, appHasLimits) = await writer.WriteAsync(appId, rows, ct);
        await counters.ApplyAsync(appId, aggregates);
        // The batch is committed: what follows must not be cut short by the caller going away.
        if (appHasLimits) await alerts.RaiseAsync(appId, aggregates, meters, CancellationToken.None);
        return TypedResults.Accepted((string?)null,
            new IngestResponse(inserted, duplicatesInBatch + rows.Count - inserted, rejected.OrderBy(r => r.Index).ToList()));
    }
}
