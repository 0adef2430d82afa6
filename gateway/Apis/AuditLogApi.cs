using Billing.Gateway.Infrastructure;
using Billing.Gateway.Routing;
using Billing.ServiceDefaults.Api;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Billing.Gateway.Apis;

public static class AuditLogApi
{
    public static IEndpointRouteBuilder MapAuditLogApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/apps/{appId}/audit-log", ListEntries).WithTags("Apps").WithMetadata(RouteAccess.Account);
        return routes;
    }

    /// <summary>The app's management actions, oldest first, cursor-paged.</summary>
    public static async Task<Ok<Page<AuditEntryResponse>>> ListEntries(
        string appId, HttpContext http, GatewayDbContext db, int? limit, string? startingAfter, CancellationToken ct)
    {
        var app = await db.FindManagedAppAsync(http, appId, ct);
        var page = await db.AuditEntries.AsNoTracking().Where(e => e.AppId == app.Id).ToPageAsync(PageRequest.From(limit, startingAfter), e => e.Id, ct);
        return TypedResults.Ok(page.Map(AuditEntryResponse.From));
    }
}
