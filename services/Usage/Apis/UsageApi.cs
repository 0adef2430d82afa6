using Billing.ServiceDefaults.Api;
using Billing.ServiceDefaults.Errors;
using Billing.ServiceDefaults.Security;
using Billing.Usage.Customers;
using Billing.Usage.Infrastructure;
using Billing.Usage.Reports;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Billing.Usage.Apis;

public static class UsageApi
{
    public static IEndpointRouteBuilder MapUsageApi(this IEndpointRouteBuilder routes)
    {
        var usage = routes.MapGroup("/v1/{appId}/usage").WithTags("Usage");
        usage.MapGet("", History).RequireScope("usage:read");
        usage.MapGet("/summary", Summary).RequireScope("usage:read");
        return routes;
    }

    /// <summary>Daily history <c>{date, meter, quantity}</c> of one customer.</summary>
    public static async Task<Ok<Page<DailyUsage>>> History(
        string appId, string? customerId, string? customerExternalId, string? startDate, string? endDate, string? meterType,
        MeterDirectory meterDirectory, CustomerDirectory customers, UsageReports reports, CancellationToken ct)
    {
        var customer = await CustomerOfAsync(customers, appId, customerId, customerExternalId, ct);
        return TypedResults.Ok(await reports.HistoryAsync(appId, customer, startDate, endDate, meterType, await meterDirectory.OfAsync(appId, ct), ct));
    }

    /// <summary>This period's usage of every meter against the customer's plan's limits.</summary>
    public static async Task<Ok<UsageSummaryResponse>> Summary(
        string appId, string? customerId, string? customerExternalId, MeterDirectory meterDirectory, CustomerDirectory customers, UsageReports reports,
        CancellationToken ct)
    {
        var customer = await CustomerOfAsync(customers, appId, customerId, customerExternalId, ct);
        return TypedResults.Ok(await reports.SummaryAsync(appId, customer, await meterDirectory.OfAsync(appId, ct), ct));
    }

    /// <summary>
    /// The customer a query names (exactly one of the two parameters): an unknown <c>customerId</c>, or one of
    /// another app, is 404; an external id is always a customer (maybe with usage but no plan yet).
    /// </summary>
    public static async Task<CustomerAccount> CustomerOfAsync(CustomerDirectory customers, string appId, string? customerId, string? externalId, CancellationToken ct)
    {
        new Validation()
            .Check(string.IsNullOrEmpty(customerId) != string.IsNullOrEmpty(externalId), "customerId", "Give customerId or customerExternalId (one of them).")
            .Check((customerId?.Length ?? 0) <= 255 && (externalId?.Length ?? 0) <= 255, "customerId", "A customer id has at most 255 characters.")
            .ThrowIfInvalid();
        return await customers.FindAsync(appId, NullIfEmpty(customerId), NullIfEmpty(externalId), ct) ?? throw ApiException.NotFound("The customer");
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
