using Billing.ServiceDefaults.Api;
using Billing.ServiceDefaults.Errors;
using Billing.ServiceDefaults.Security;
using Billing.Usage.Infrastructure;
using Billing.Usage.Model;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Billing.Usage.Apis;

public sealed record MeterResponse(string Key, string Unit, MeterAggregation Aggregation, bool BuiltIn);

public sealed record CreateMeterRequest(string? Key, string? Unit, string? Aggregation);

public static class MetersApi
{
    public static IEndpointRouteBuilder MapMetersApi(this IEndpointRouteBuilder routes)
    {
        var usage = routes.MapGroup("/v1/{appId}/usage").WithTags("Usage");
        usage.MapGet("/meters", ListMeters).RequireScope("usage:read");
        usage.MapPost("/meters", CreateMeter).RequireScope("usage:write");
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

    /// <summary>A custom meter of the app; its key must not be taken by the app or the platform (409).</summary>
    public static async Task<Created<MeterResponse>> CreateMeter(string appId, CreateMeterRequest request, UsageDbContext db, MeterDirectory meterDirectory, CancellationToken ct)
    {
        new Validation()
            .Text(request.Key, "key", 64)
            .Check(request.Key is null || System.Text.RegularExpressions.Regex.IsMatch(request.Key, "^[a-z][a-z0-9_]{0,63}$"), "key",
                "key must start with a lower-case letter and hold only lower-case letters, digits and underscores (at most 64).")
            .Text(request.Unit, "unit", 32)
            .Check(request.Aggregation is "sum" or "max" or "last", "aggregation", "aggregation must be one of: sum, max, last.")
            .ThrowIfInvalid();
        var meter = new Meter
        {
            Key = request.Key!, AppId = appId, Unit = request.Unit!.Trim(),
            Aggregation = Enum.Parse<MeterAggregation>(request.Aggregation!, ignoreCase: true),
        };
        if (await db.Meters.AnyAsync(m => m.Key == meter.Key && (m.AppId == null || m.AppId == appId), ct))
            throw ApiException.Conflict($"A meter {meter.Key} already exists.");
        db.Meters.Add(meter);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            throw ApiException.Conflict($"A meter {meter.Key} already exists.");
        }
        // Checks and ingestion through this instance see the new meter at once (others within MeterDirectory.Ttl).
        meterDirectory.Forget(appId);
        return TypedResults.Created($"/v1/{appId}/usage/meters/{meter.Key}", new MeterResponse(meter.Key, meter.Unit, meter.Aggregation, false));
    }
}
