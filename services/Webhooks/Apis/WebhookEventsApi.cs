using Billing.ServiceDefaults.Api;
using Billing.ServiceDefaults.Errors;
using Billing.Webhooks.Ingest;
using Microsoft.Extensions.Options;
using Billing.ServiceDefaults.Security;
using Billing.Webhooks.Infrastructure;
using Billing.Webhooks.Model;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Billing.Webhooks.Apis;

public sealed record WebhookEventResponse(
    string Id, string StripeEventId, string Type, string? AppId, string? Account, DateTimeOffset StripeCreatedAt,
    ProcessingStatus Status, EventSource Source, DateTimeOffset ReceivedAt)
{
    public static WebhookEventResponse From(ReceivedEvent e) =>
        new(e.Id, e.StripeEventId, e.Type, e.AppId, e.Account, e.StripeCreatedAt, e.Status, e.Source, e.ReceivedAt);
}

/// <summary>A range replay: events whose Stripe <c>created</c> is in [from, to), optionally of one type.</summary>
public sealed record ReplayRangeRequest(DateTimeOffset? From, DateTimeOffset? To, string? Type);

/// <summary>The Stripe event ids republished (unknown types are never published, so never replayed).</summary>
public sealed record ReplayResponse(int Replayed, IReadOnlyList<string> StripeEventIds);

public static class WebhookEventsApi
{
    public static IEndpointRouteBuilder MapWebhookEventsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/admin/webhook-events").WithTags("Webhook events").RequireOperator();
        group.MapGet("/", ListEvents);
        group.MapPost("/{eventId}/replay", ReplayOne);
        group.MapPost("/replay", ReplayRange);
        return routes;
    }

    /// <summary>Received events, filtered by type, app, processing status and time, cursor-paged.</summary>
    public static async Task<Ok<Page<WebhookEventResponse>>> ListEvents(
        WebhooksDbContext db, string? type, string? appId, string? status, DateTimeOffset? since, DateTimeOffset? until, int? limit,
        string? startingAfter, CancellationToken ct)
    {
        var page = PageRequest.From(limit, startingAfter);
        var statusFilter = SnakeCaseEnum.ParseOptional<ProcessingStatus>(status, nameof(status));
        var query = db.ReceivedEvents.AsNoTracking();
        if (type is not null) query = query.Where(e => e.Type == type);
        if (appId is not null) query = query.Where(e => e.AppId == appId);
        if (statusFilter is not null) query = query.Where(e => e.Status == statusFilter);
        if (since is not null) query = query.Where(e => e.ReceivedAt >= since);
        if (until is not null) query = query.Where(e => e.ReceivedAt < until);
        var rows = await query.ToPageAsync(page, e => e.Id, ct);
        return TypedResults.Ok(rows.Map(WebhookEventResponse.From));
    }

    /// <summary>Publishes one stored event again (by its Stripe id, <c>evt_…</c>).</summary>
    public static async Task<Ok<ReplayResponse>> ReplayOne(string eventId, WebhooksDbContext db, EventReplayer replayer, CancellationToken ct)
    {
        var received = await db.ReceivedEvents.AsNoTracking().SingleOrDefaultAsync(e => e.StripeEventId == eventId, ct)
            ?? throw ApiException.NotFound($"Webhook event {eventId}");
        if (received.Status == ProcessingStatus.Ignored)
            throw ApiException.Conflict($"Events of type {received.Type} are stored but never published, so there is nothing to replay.");
        var replayed = await replayer.ReplayAsync([received], ct);
        return TypedResults.Ok(new ReplayResponse(replayed.Count, replayed));
    }

    /// <summary>Publishes again every stored event of a time range (Stripe's <c>created</c>), oldest first.</summary>
    public static async Task<Ok<ReplayResponse>> ReplayRange(
        ReplayRangeRequest request, EventReplayer replayer, IOptions<WebhooksOptions> options, CancellationToken ct)
    {
        if (request.From is not { } from) throw ApiException.Validation("from", "from is required.");
        if (request.To is not { } to) throw ApiException.Validation("to", "to is required.");
        if (to <= from) throw ApiException.Validation("to", "to must be after from.");
        var limit = options.Value.MaxReplayRange;
        var events = await replayer.InRangeAsync(from, to, request.Type, limit + 1, ct);
        if (events.Count > limit)
            throw ApiException.Validation("to", $"The range holds more than {limit} events; replay a narrower range.");
        var replayed = await replayer.ReplayAsync(events, ct);
        return TypedResults.Ok(new ReplayResponse(replayed.Count, replayed));
    }
}
