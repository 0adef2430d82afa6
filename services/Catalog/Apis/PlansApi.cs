using Billing.Catalog.Infrastructure;
using Billing.Catalog.Model;
using Billing.ServiceDefaults.Api;
using Billing.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Billing.Catalog.Apis;

/// <summary>An app's recurring plans; what plans and products do alike is in <see cref="CatalogItemEndpoints"/>.</summary>
public static class PlansApi
{
    public static IEndpointRouteBuilder MapPlansApi(this IEndpointRouteBuilder routes)
    {
        var plans = routes.MapGroup("/v1/{appId}/billing/plans").WithTags("Plans");
        plans.MapGet("/", ListPlans).RequireScope("catalog:read", CallerIdentity.PublicCatalogScope);
        plans.MapGet("/{planId}", GetPlan).RequireScope("catalog:read", CallerIdentity.PublicCatalogScope);
        plans.MapPost("/", CreatePlan).RequireScope("catalog:write");
        plans.MapPut("/{planId}", UpdatePlan).RequireScope("catalog:write");
        plans.MapPost("/{planId}/archive", ArchivePlan).RequireScope("catalog:write");
        return routes;
    }

    /// <summary>The app's plans, oldest first, cursor-paged; the public catalog lists only plans that can be bought.</summary>
    public static async Task<Ok<Page<PlanResponse>>> ListPlans(
        string appId, HttpContext http, CatalogDbContext db, int? limit, string? startingAfter, bool includeArchived = false, CancellationToken ct = default) =>
        TypedResults.Ok((await CatalogItemEndpoints.ListAsync<Plan>(db, appId, http, limit, startingAfter, includeArchived, ct)).Map(PlanResponse.From));

    public static async Task<Ok<PlanResponse>> GetPlan(string appId, string planId, HttpContext http, CatalogDbContext db, CancellationToken ct) =>
        TypedResults.Ok(PlanResponse.From(await CatalogItemEndpoints.GetAsync<Plan>(db, appId, planId, http, ct)));

    /// <summary>A new plan; its Stripe product and prices follow asynchronously (<c>stripe.syncStatus</c>).</summary>
    public static async Task<Created<PlanResponse>> CreatePlan(string appId, CreatePlanRequest request, CatalogDbContext db, CancellationToken ct)
    {
        var plan = await CatalogItemEndpoints.CreateAsync(db, request.ToPlan(appId), ct);
        return TypedResults.Created($"/v1/{appId}/billing/plans/{plan.Id}", PlanResponse.From(plan));
    }

    /// <summary>
    /// Changes what the request gives. A new amount for an interval is a new price (new id); the old one
    /// turns inactive and keeps its subscribers. Stripe follows asynchronously when names or prices change.
    /// </summary>
    public static async Task<Ok<PlanResponse>> UpdatePlan(
        string appId, string planId, UpdatePlanRequest request, CatalogDbContext db, CancellationToken ct) =>
        TypedResults.Ok(PlanResponse.From(await CatalogItemEndpoints.ChangeAsync<Plan>(db, appId, planId, request.ApplyTo, ct)));

    /// <summary>No new subscriptions: the plan leaves the public catalog and its Stripe product turns inactive.</summary>
    public static async Task<Ok<PlanResponse>> ArchivePlan(string appId, string planId, CatalogDbContext db, CancellationToken ct) =>
        TypedResults.Ok(PlanResponse.From(await CatalogItemEndpoints.ChangeAsync<Plan>(db, appId, planId, CatalogItemEndpoints.Archive, ct)));
}
