using Billing.ServiceDefaults.Api;
using Billing.ServiceDefaults.Errors;
using Billing.ServiceDefaults.Security;
using Billing.Usage.Apis;
using Billing.Usage.Customers;
using Billing.Usage.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Billing.Usage.Entitlements;

/// <param name="Remaining">What is left of the limit now (before <c>quantity</c>); null when the plan sets no limit on the meter.</param>
public sealed record EntitlementResponse(bool Allowed, long? Remaining);

public static class EntitlementsApi
{
    public static IEndpointRouteBuilder MapEntitlementsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/v1/{appId}/entitlements").WithTags("Usage").MapGet("/check", Check).RequireScope("usage:read");
        return routes;
    }

    /// <summary>
    /// May the customer use <paramref name="quantity"/> more of <paramref name="meter"/> this period? 200 when
    /// usage + quantity stays within the plan's limit (or there is none); 402 <c>payment_required</c> while the
    /// subscription is past_due or unpaid; 402 <c>limit_exceeded</c> otherwise.
    /// </summary>
    public static async Task<Ok<EntitlementResponse>> Check(
        string appId, string? customerId, string? customerExternalId, string? meter, long? quantity,
        MeterDirectory meterDirectory, CustomerDirectory customers, UsageCounters counters, CancellationToken ct)
    {
        new Validation()
            .Text(meter, "meter", 64)
            .Check(quantity is null or >= 0, "quantity", "quantity must be a non-negative integer.")
            .ThrowIfInvalid();
        var customer = await UsageApi.CustomerOfAsync(customers, appId, customerId, customerExternalId, ct);
        var meters = await meterDirectory.OfAsync(appId, ct);
        if (!meters.TryGetValue(meter!, out var definition)) throw ApiException.Validation("meter", "meter names no meter of this app.");
        if (customer.PaymentRequired)
            throw new ApiException(402, ErrorCodes.PaymentRequired, "The customer's subscription is past due: an invoice must be paid first.");
        if (!customer.Limits.TryGetValue(meter!, out var limit)) return TypedResults.Ok(new EntitlementResponse(true, null));

        var used = await counters.PeriodUsageAsync(appId, customer, meter!, definition.Aggregation.ToString(), customer.Period, ct);
        var remaining = Math.Max(0, limit - used);
        if (used + (quantity ?? 1) > limit)
        {
            var error = new ApiException(402, ErrorCodes.LimitExceeded, $"The plan's limit of {limit} {definition.Unit} of {meter} this period would be exceeded.");
            error.Extensions["limit"] = limit;
            error.Extensions["used"] = used;
            error.Extensions["remaining"] = remaining;
            throw error;
        }
        return TypedResults.Ok(new EntitlementResponse(true, remaining));
    }
}
