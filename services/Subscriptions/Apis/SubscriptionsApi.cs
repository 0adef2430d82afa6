using Billing.ServiceDefaults.Api;
using Billing.ServiceDefaults.Security;
using Billing.Subscriptions.Infrastructure;
using Billing.Subscriptions.Model;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Billing.Subscriptions.Apis;

public static class SubscriptionsApi
{
    public static IEndpointRouteBuilder MapSubscriptionsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/{appId}/billing").WithTags("Subscriptions");
        group.MapGet("/subscriptions", ListSubscriptions).RequireScope("subscriptions:read");
        return routes;
    }

    /// <summary>The app's subscriptions, optionally of one customer or in one status, cursor-paged.</summary>
    public static async Task<Ok<Page<SubscriptionResponse>>> ListSubscriptions(
        string appId, SubscriptionsDbContext db, string? customerId, string? status, int? limit, string? startingAfter,
        CancellationToken ct)
    {
        var page = PageRequest.From(limit, startingAfter);
        var statusFilter = SnakeCaseEnum.ParseOptional<SubscriptionStatus>(status, nameof(status));
        var query = db.Subscriptions.AsNoTracking().Where(s => s.AppId == appId);
        if (customerId is not null) query = query.Where(s => s.CustomerId == customerId);
        if (statusFilter is not null) query = query.Where(s => s.Status == statusFilter);
        var rows = await query.ToPageAsync(page, s => s.Id, ct);
        return TypedResults.Ok(rows.Map(SubscriptionResponse.From));
    }
}
