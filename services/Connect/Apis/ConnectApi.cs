using Billing.Connect.Accounts;
using Billing.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Billing.Connect.Apis;

/// <summary>The app's own Express account: onboarding and status.</summary>
public static class ConnectApi
{
    public static IEndpointRouteBuilder MapConnectApi(this IEndpointRouteBuilder routes)
    {
        var connect = routes.MapGroup("/v1/{appId}/billing/connect").WithTags("Connect");
        connect.MapPost("/onboard", Onboard).RequireScope("connect:write");
        connect.MapGet("/status", GetStatus).RequireScope("connect:read");
        return routes;
    }

    /// <summary>Creates the app's account once (or reuses it) and returns a fresh onboarding link.</summary>
    public static async Task<Ok<OnboardResponse>> Onboard(
        string appId, OnboardRequest request, HttpContext http, AccountOnboarding onboarding, CancellationToken ct)
    {
        request.Validate(http.Caller().RedirectAllowlist);
        var account = await onboarding.EnsureAccountAsync(new AccountOwner(appId, appId, null), ct);
        var link = await onboarding.LinkAsync(account, request.ReturnUrl!, request.RefreshUrl!, ct);
        return TypedResults.Ok(new OnboardResponse(link.AccountId, link.OnboardingUrl, link.ExpiresAt));
    }

    public static async Task<Ok<ConnectStatusResponse>> GetStatus(string appId, AccountStates states, CancellationToken ct) =>
        TypedResults.Ok(ConnectStatusResponse.From(await states.CurrentAsync(appId, appId, ct)));
}
