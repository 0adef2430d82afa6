using Billing.ServiceDefaults.Api;
using Billing.ServiceDefaults.Security;
using Billing.Usage.Infrastructure;
using Billing.Usage.Model;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Billing.Usage.Apis;

public sealed record MeterResponse(string Key, string Unit, MeterAggregation Aggregation, bool BuiltIn);

public static class MetersApi
{
    public static IEndpointRouteBuilder MapMetersApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/v1/{appId}/usage").WithTags("Usage").MapGet("/meters", ListMeters).RequireScope("usage:read");
        return routes;
    }

    /// <summary>The platform's meters and the app's own, by key.</summary>
    public static async Task<Ok<Page<MeterResponse>>> ListMeters(string appId, UsageDbContext db, CancellationToken ct)
    {
        var meters = await db.Meters.AsNoTracking()
            .Where(m => m.AppId == null || m.AppId == appId)
            .OrderBy(m => m.Key)
            .Select(m => new MeterResponse(m.Key, m.Unit, m.Aggregation, m.AppId == null))
            .ToListAsync(ct);
        // An app has a handful of meters: they always fit one page.
        return TypedResults.Ok(new Page<MeterResponse>(meters, HasMore: false));
    }
}

