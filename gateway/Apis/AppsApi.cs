using Billing.Gateway.Infrastructure;
using Billing.Gateway.Model;
using Billing.Gateway.Routing;
using Billing.ServiceDefaults.Api;
using Billing.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Billing.Gateway.Apis;

public static class AppsApi
{
    public static IEndpointRouteBuilder MapAppsApi(this IEndpointRouteBuilder routes)
    {
        var apps = routes.MapGroup("/v1/apps").WithTags("Apps");
        apps.MapPost("/", CreateApp).WithMetadata(RouteAccess.Account);
        apps.MapGet("/", ListApps).WithMetadata(RouteAccess.Account);
        apps.MapGet("/{appId}", GetApp).WithMetadata(RouteAccess.Account);
        apps.MapPut("/{appId}/redirect-origins", SetRedirectOrigins).WithMetadata(RouteAccess.Account);
        apps.MapPut("/{appId}/rate-limit", SetRateLimit).WithMetadata(RouteAccess.AccountOrOperator);
        return routes;
    }

    public static async Task<Created<AppResponse>> CreateApp(CreateAppRequest request, HttpContext http, GatewayDbContext db, CancellationToken ct)
    {
        var origins = request.Validate();
        var app = new App { Id = Ids.New("app"), AccountId = http.Caller().AccountId, Name = request.Name!.Trim(), RedirectOrigins = origins };
        db.Apps.Add(app);
        db.Record(http, app.Id, "app.created", app.Id);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/v1/apps/{app.Id}", AppResponse.From(app));
    }

    /// <summary>The caller's own apps, oldest first, cursor-paged.</summary>
    public static async Task<Ok<Page<AppResponse>>> ListApps(HttpContext http, GatewayDbContext db, int? limit, string? startingAfter, CancellationToken ct)
    {
        var accountId = http.Caller().AccountId;
        var page = await db.Apps.AsNoTracking().Where(a => a.AccountId == accountId).ToPageAsync(PageRequest.From(limit, startingAfter), a => a.Id, ct);
        return TypedResults.Ok(page.Map(AppResponse.From));
    }

    public static async Task<Ok<AppResponse>> GetApp(string appId, HttpContext http, GatewayDbContext db, CancellationToken ct) =>
        TypedResults.Ok(AppResponse.From(await db.FindManagedAppAsync(http, appId, ct)));

    /// <summary>Replaces the allowlist; keys carry it to services within the credential cache's lifetime.</summary>
    public static async Task<Ok<AppResponse>> SetRedirectOrigins(
        string appId, RedirectOriginsRequest request, HttpContext http, GatewayDbContext db, CancellationToken ct)
    {
        var app = await db.FindManagedAppAsync(http, appId, ct);
        app.RedirectOrigins = request.Validate();
        db.Record(http, app.Id, "app.redirect_origins_updated", app.Id);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(AppResponse.From(app));
    }

    public static async Task<Ok<AppResponse>> SetRateLimit(string appId, RateLimitRequest request, HttpContext http, GatewayDbContext db, CancellationToken ct)
    {
        request.Validate();
        var app = await db.FindManagedAppAsync(http, appId, ct);
        app.RateLimit = request.Limit;
        db.Record(http, app.Id, "app.rate_limit_updated", app.Id);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(AppResponse.From(app));
    }
}
