using Billing.Contracts;
using Billing.ServiceDefaults.Api;
using Billing.ServiceDefaults.Errors;
using Billing.ServiceDefaults.Security;
using Billing.Usage.Apis;
using Billing.Usage.Customers;
using Billing.Usage.Infrastructure;
using Billing.Usage.Reports;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Billing.Usage.Dashboard;

/// <param name="Tier">The platform tier (<c>free|starter|pro|business</c>): free without a current paid subscription.</param>
public sealed record DashboardBillingResponse(string Tier, string? PlanId, string? PlanName, string Status, string? SubscriptionId,
    PeriodResponse Period, IReadOnlyList<MeterUsage> Usage);

/// <summary>
/// The platform's billing of the calling developer account: the developer is the platform app's customer
/// whose external id is the account id, metered on the platform app's own meters.
/// </summary>
public static class DashboardApi
{
    public static IEndpointRouteBuilder MapDashboardApi(this IEndpointRouteBuilder routes)
    {
        var dashboard = routes.MapGroup("/dashboard").WithTags("Dashboard");
        dashboard.MapGet("/billing", Billing).RequireAccount();
        dashboard.MapGet("/usage", Usage).RequireAccount();
        return routes;
    }

    public static async Task<Ok<DashboardBillingResponse>> Billing(HttpContext http, MeterDirectory meterDirectory, CustomerDirectory customers, UsageReports reports, CancellationToken ct)
    {
        var developer = await DeveloperAsync(http, customers, ct);
        var summary = await reports.SummaryAsync(PlatformApp.Id, developer, await meterDirectory.OfAsync(PlatformApp.Id, ct), ct);
        return TypedResults.Ok(new DashboardBillingResponse(developer.Tier ?? PlatformApp.Tiers[0], developer.PlanId, developer.PlanName,
            developer.Status ?? "active", developer.SubscriptionId, summary.Period, summary.Meters));
    }

    public static async Task<Ok<Page<DailyUsage>>> Usage(string? startDate, string? endDate, string? meterType,
        HttpContext http, MeterDirectory meterDirectory, CustomerDirectory customers, UsageReports reports, CancellationToken ct)
    {
        var developer = await DeveloperAsync(http, customers, ct);
        return TypedResults.Ok(await reports.HistoryAsync(PlatformApp.Id, developer, startDate, endDate, meterType,
            await meterDirectory.OfAsync(PlatformApp.Id, ct), ct));
    }

    private static async Task<CustomerAccount> DeveloperAsync(HttpContext http, CustomerDirectory customers, CancellationToken ct)
    {
        var accountId = http.Caller().AccountId ?? throw new ApiException(401, ErrorCodes.Unauthorized, "The account token names no account.");
        // An external id is always found (a developer with no subscription yet is on free).
        return (await customers.FindAsync(PlatformApp.Id, null, accountId, ct))!;
    }
}
