using Billing.Connect.Creators;
using Billing.Connect.Infrastructure;
using Billing.Connect.Ledger;
using Billing.Connect.Model;
using Billing.Connect.Payouts;
using Billing.ServiceDefaults.Api;
using Billing.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Billing.Connect.Apis;

/// <summary>A creator's payout schedule, on-demand payouts and payout history.</summary>
public static class PayoutsApi
{
    public static IEndpointRouteBuilder MapPayoutsApi(this IEndpointRouteBuilder routes)
    {
        var creator = routes.MapGroup("/v1/{appId}/creators/{creatorId}").WithTags("Payouts");
        creator.MapPut("/payout-settings", UpdateSettings).RequireScope("connect:write");
        creator.MapPost("/payouts", CreatePayout).RequireScope("connect:write");
        creator.MapGet("/payouts", ListPayouts).RequireScope("connect:read");
        return routes;
    }

    public static async Task<Ok<CreatorResponse>> UpdateSettings(
        string appId, string creatorId, PayoutSettingsRequest request, CreatorDirectory creators, ConnectDbContext db, LedgerClock clock,
        CancellationToken ct)
    {
        var frequency = request.Parse();
        var creator = await creators.GetAsync(appId, creatorId, ct);
        if (creator.PayoutFrequency != frequency)
        {
            creator.PayoutFrequency = frequency;
            creator.UpdatedAt = clock.Now;
            await db.SaveChangesAsync(ct);
        }
        return TypedResults.Ok(CreatorResponse.From(creator, await creators.AccountIdAsync(appId, creator.Id, ct)));
    }

    /// <summary>
    /// Pays the whole available balance now, in USD. 400 <c>payouts_not_enabled</c> before onboarding is
    /// done, 400 <c>payout_below_minimum</c> under 1000 cents. 201 with the payout: <c>paid</c>, or
    /// <c>pending</c> when Stripe did not answer (finished later, never twice), or <c>failed</c> when Stripe refused (money back).
    /// </summary>
    public static async Task<Created<PayoutResponse>> CreatePayout(string appId, string creatorId, PayoutService payouts, CancellationToken ct)
    {
        var payout = await payouts.PayAsync(appId, creatorId, PayoutTrigger.Manual, period: null, ct)
            ?? throw new InvalidOperationException("A manual payout either pays or refuses.");
        return TypedResults.Created($"/v1/{appId}/creators/{creatorId}/payouts/{payout.Id}", PayoutResponse.From(payout));
    }

    public static async Task<Ok<Page<PayoutResponse>>> ListPayouts(
        string appId, string creatorId, CreatorDirectory creators, ConnectDbContext db, int? limit, string? startingAfter, CancellationToken ct)
    {
        var page = PageRequest.From(limit, startingAfter);
        await creators.GetAsync(appId, creatorId, ct);
        var rows = await db.Payouts.AsNoTracking().Where(p => p.AppId == appId && p.CreatorId == creatorId).ToPageAsync(page, p => p.Id, ct);
        return TypedResults.Ok(rows.Map(PayoutResponse.From));
    }
}
