using Billing.Connect.Infrastructure;
using Billing.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Billing.Connect.Apis;

public sealed record ConnectStatusResponse(bool Connected, bool DetailsSubmitted, bool ChargesEnabled, bool PayoutsEnabled, string? AccountId);

public static class ConnectStatusApi
{
    public static IEndpointRouteBuilder MapConnectStatusApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/v1/{appId}/billing/connect").WithTags("Connect").MapGet("/status", GetAppStatus).RequireScope("connect:read");
        return routes;
    }

    /// <summary>The app's own Express account: connected once onboarding is complete and charges are enabled.</summary>
    public static async Task<Ok<ConnectStatusResponse>> GetAppStatus(string appId, ConnectDbContext db, CancellationToken ct)
    {
        var account = await db.ConnectedAccounts.AsNoTracking()
            .SingleOrDefaultAsync(a => a.AppId == appId && a.OwnerId == appId, ct);
        return TypedResults.Ok(account is null
            ? new ConnectStatusResponse(false, false, false, false, null)
            : new ConnectStatusResponse(
                account.DetailsSubmitted && account.ChargesEnabled, account.DetailsSubmitted, account.ChargesEnabled,
                account.PayoutsEnabled, account.StripeAccountId));
    }
}
