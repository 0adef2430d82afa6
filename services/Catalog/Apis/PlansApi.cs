using Billing.Catalog.Infrastructure;
using Billing.ServiceDefaults.Api;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Billing.Catalog.Apis;

public static class PlansApi
{
    public static IEndpointRouteBuilder MapPlansApi(this IEndpointRouteBuilder routes)
    {
        var plans = routes.MapGroup("/v1/{appId}/billing/plans").WithTags("Plans");
        plans.MapGet("/", ListPlans);
        return routes;
    }

    /// <summary>The app's plans, active ones unless <c>includeArchived</c>, oldest first, cursor-paged.</summary>
    public static async Task<Ok<Page<PlanResponse>>> ListPlans(
        string appId, CatalogDbContext db, int? limit, string? startingAfter, bool includeArchived = false, CancellationToken ct = default)
    {
        var page = PageRequest.From(limit, startingAfter);
        var query = db.Plans.AsNoTracking().Where(p => p.AppId == appId);
        if (!includeArchived) query = query.Where(p => p.Active);
        var rows = await query.ToPageAsync(page, p => p.Id, ct);
        return TypedResults.Ok(rows.Map(PlanResponse.From));
    }
}
