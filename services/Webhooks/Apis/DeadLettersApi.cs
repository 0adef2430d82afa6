using Billing.ServiceDefaults.Api;
using Billing.ServiceDefaults.Security;
using Billing.Webhooks.Infrastructure;
using Billing.Webhooks.Model;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Billing.Webhooks.Apis;

public sealed record DeadLetterResponse(
    string Id, Guid? MessageId, string MessageType, string? AppId, string? StripeEventId, string? Consumer, string Reason,
    string? ExceptionType, DateTimeOffset FailedAt)
{
    public static DeadLetterResponse From(DeadLetter d) =>
        new(d.Id, d.MessageId, d.MessageType, d.AppId, d.StripeEventId, d.Consumer, d.Reason, d.ExceptionType, d.FailedAt);
}

public static class DeadLettersApi
{
    public static IEndpointRouteBuilder MapDeadLettersApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/admin/dead-letters", ListDeadLetters).WithTags("Dead letters").RequireOperator();
        return routes;
    }

    /// <summary>Normalized Stripe events a consumer gave up on, newest last, cursor-paged; filter by app or message type.</summary>
    public static async Task<Ok<Page<DeadLetterResponse>>> ListDeadLetters(
        WebhooksDbContext db, string? appId, string? messageType, int? limit, string? startingAfter, CancellationToken ct)
    {
        var page = PageRequest.From(limit, startingAfter);
        var query = db.DeadLetters.AsNoTracking();
        if (appId is not null) query = query.Where(d => d.AppId == appId);
        if (messageType is not null) query = query.Where(d => d.MessageType == messageType);
        var rows = await query.ToPageAsync(page, d => d.Id, ct);
        return TypedResults.Ok(rows.Map(DeadLetterResponse.From));
    }
}
