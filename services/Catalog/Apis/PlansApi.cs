using Billing.Catalog.Infrastructure;
using Billing.Catalog.Model;
using Billing.Catalog.StripeSync;
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
        plans.MapPut("/{planId}", UpdatePlan).RequireScope("catalog:write");
        plans.MapPost("/{planId}/archive", ArchivePlan).RequireScope("catalog:write");
        return routes;
    }

    /// <summary>
    /// The app's plans, oldest first, cursor-paged: active ones, and archived ones too when a secret key
    /// asks with <c>includeArchived</c>. The public catalog (publishable key) shows only what can be
    /// bought: active plans whose Stripe product and prices exist.
    /// </summary>
    public static async Task<Ok<Page<PlanResponse>>> ListPlans(
        string appId, HttpContext http, CatalogDbContext db, int? limit, string? startingAfter, bool includeArchived = false, CancellationToken ct = default)
    {
        var page = PageRequest.From(limit, startingAfter);
        var query = db.Plans.AsNoTracking().Include(p => p.Prices).Where(p => p.AppId == appId);
        if (!http.Caller().HasScope("catalog:read")) query = query.Where(p => p.Active && p.StripeSyncStatus == StripeSyncStatus.Synced);
        else if (!includeArchived) query = query.Where(p => p.Active);
        var rows = await query.ToPageAsync(page, p => p.Id, ct);
        return TypedResults.Ok(rows.Map(PlanResponse.From));
    }

    public static async Task<Ok<PlanResponse>> GetPlan(string appId, string planId, HttpContext http, CatalogDbContext db, CancellationToken ct)
    {
        var plan = await db.Plans.AsNoTracking().Include(p => p.Prices).SingleOrDefaultAsync(p => p.AppId == appId && p.Id == planId, ct);
        // The public catalog shows only what can be bought; the rest exists only for secret keys.
        if (plan is null || (!plan.Sellable && !http.Caller().HasScope("catalog:read"))) throw ApiException.NotFound("The plan");
        return TypedResults.Ok(PlanResponse.From(plan));
    }

    /// <summary>A new plan; its Stripe product and prices follow asynchronously (<c>stripe.syncStatus</c>).</summary>
    public static async Task<Created<PlanResponse>> CreatePlan(string appId, CreatePlanRequest request, CatalogDbContext db, CancellationToken ct)
    {
        var plan = request.ToPlan(appId);
        db.Plans.Add(plan);
        db.StageChanged(plan, sync: true);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/v1/{appId}/billing/plans/{plan.Id}", PlanResponse.From(plan));
    }

    /// <summary>
    /// Changes what the request gives. A new amount for an interval is a new price (new id); the old one
    /// turns inactive and keeps its subscribers. Stripe follows asynchronously when names or prices change.
    /// </summary>
    public static Task<Ok<PlanResponse>> UpdatePlan(
        string appId, string planId, UpdatePlanRequest request, CatalogDbContext db, CancellationToken ct) =>
        ChangeAsync(db, appId, planId, request.ApplyTo, ct);

    /// <summary>No new subscriptions: the plan leaves the public catalog and its Stripe product turns inactive.</summary>
    public static Task<Ok<PlanResponse>> ArchivePlan(string appId, string planId, CatalogDbContext db, CancellationToken ct) =>
        ChangeAsync(db, appId, planId, (plan, _) =>
        {
            if (!plan.Active) return (false, false);
            plan.Active = false;
            return (true, true);
        }, ct);

    private static async Task<Ok<PlanResponse>> ChangeAsync(
        CatalogDbContext db, string appId, string planId, Func<Plan, DateTimeOffset, (bool Sync, bool Changed)> change, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (!await db.LockAsync<Plan>(appId, planId, ct)) throw ApiException.NotFound("The plan");
        var plan = await db.Plans.Include(p => p.Prices).SingleAsync(p => p.AppId == appId && p.Id == planId, ct);
        var now = DateTimeOffset.UtcNow;
        var (sync, changed) = change(plan, now);
        if (changed)
        {
            plan.Changed(now, sync);
            db.StageChanged(plan, sync);
            await db.SaveChangesAsync(ct);
        }
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(PlanResponse.From(plan));
    }
}
