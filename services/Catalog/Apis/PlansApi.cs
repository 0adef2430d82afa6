using Billing.Catalog.Infrastructure;
using Billing.ServiceDefaults.Api;
using Billing.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Billing.Catalog.Apis;

public static class PlansApi
{
    public static IEndpointRouteBuilder MapPlansApi(this IEndpointRouteBuilder routes)
    {
        var plans = routes.MapGroup("/v1/{appId}/billing/plans").WithTags("Plans");
        plans.MapGet("/", ListPlans).RequireScope("catalog:read", CallerIdentity.PublicCatalogScope);
        return routes;
    }

    /// <summary>
    /// The app's plans, oldest first, cursor-paged: active ones, and archived ones too when a secret
    /// key asks with <c>includeArchived</c> (the public catalog never shows them).
    /// </summary>
    public static async Task<Ok<Page<PlanResponse>>> ListPlans(
        string appId, HttpContext http, CatalogDbContext db, int? limit, string? startingAfter, bool includeArchived = false, CancellationToken ct = default)
    {
        var page = PageRequest.From(limit, startingAfter);
        var query = db.Plans.AsNoTracking().Where(p => p.AppId == appId);
        if (!(includeArchived && http.Caller().HasScope("catalog:read"))) query = query.Where(p => p.Active);
        var rows = await query.ToPageAsync(page, p => p.Id, ct);
        return TypedResults.Ok(rows.Map(PlanResponse.From));
    }
}
