using Billing.Catalog.Infrastructure;
using Billing.ServiceDefaults.Api;
using Billing.ServiceDefaults.Errors;
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
        plans.MapGet("/{planId}", GetPlan).RequireScope("catalog:read", CallerIdentity.PublicCatalogScope);
        plans.MapPost("/", CreatePlan).RequireScope("catalog:write");
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

    public static async Task<Ok<PlanResponse>> GetPlan(string appId, string planId, HttpContext http, CatalogDbContext db, CancellationToken ct)
    {
        var plan = await db.Plans.AsNoTracking().SingleOrDefaultAsync(p => p.AppId == appId && p.Id == planId, ct);
        // The public catalog shows active plans only; an archived one exists only for secret keys.
        if (plan is null || (!plan.Active && !http.Caller().HasScope("catalog:read"))) throw ApiException.NotFound("The plan");
        return TypedResults.Ok(PlanResponse.From(plan));
    }

    /// <summary>A new plan; its Stripe product and price follow asynchronously (<c>stripe.syncStatus</c>).</summary>
    public static async Task<Created<PlanResponse>> CreatePlan(string appId, CreatePlanRequest request, CatalogDbContext db, CancellationToken ct)
    {
        request.Validate();
        var plan = request.ToPlan(appId);
        db.Plans.Add(plan);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/v1/{appId}/billing/plans/{plan.Id}", PlanResponse.From(plan));
    }
}
