using Billing.ServiceDefaults.Api;
using Billing.ServiceDefaults.Security;
using Billing.Webhooks.Infrastructure;
using Billing.Webhooks.Model;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Billing.Webhooks.Apis;

public sealed record WebhookEventResponse(
    string Id, string StripeEventId, string Type, string? AppId, string? Account, DateTimeOffset StripeCreatedAt,
    ProcessingStatus Status, DateTimeOffset ReceivedAt)
{
    public static WebhookEventResponse From(ReceivedEvent e) =>
        new(e.Id, e.StripeEventId, e.Type, e.AppId, e.Account, e.StripeCreatedAt, e.Status, e.ReceivedAt);
}

public static class WebhookEventsApi
{
    public static IEndpointRouteBuilder MapWebhookEventsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/v1/admin/webhook-events").WithTags("Webhook events").MapGet("/", ListEvents).RequireOperator();
        return routes;
    }

    /// <summary>Received events, filtered by type, app, processing status and time, cursor-paged.</summary>
    public static async Task<Ok<Page<WebhookEventResponse>>> ListEvents(
        WebhooksDbContext db, string? type, string? appId, string? status, DateTimeOffset? since, int? limit,
        string? startingAfter, CancellationToken ct)
    {
        var page = PageRequest.From(limit, startingAfter);
        var statusFilter = SnakeCaseEnum.ParseOptional<ProcessingStatus>(status, nameof(status));
        var query = db.ReceivedEvents.AsNoTracking();
        if (type is not null) query = query.Where(e => e.Type == type);
        if (appId is not null) query = query.Where(e => e.AppId == appId);
        if (statusFilter is not null) query = query.Where(e => e.Status == statusFilter);
        if (since is not null) query = query.Where(e => e.ReceivedAt >= since);
        var rows = await query.ToPageAsync(page, e => e.Id, ct);
        return TypedResults.Ok(rows.Map(WebhookEventResponse.From));
    }
}
