using Billing.Connect.Accounts;
using Billing.Connect.Creators;
using Billing.Connect.Infrastructure;
using Billing.Connect.Ledger;
using Billing.ServiceDefaults.Api;
using Billing.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Billing.Connect.Apis;

/// <summary>An app's marketplace creators: find-or-create, their Express account's onboarding and status, their balance.</summary>
public static class CreatorsApi
{
    public static IEndpointRouteBuilder MapCreatorsApi(this IEndpointRouteBuilder routes)
    {
        var creators = routes.MapGroup("/v1/{appId}/creators").WithTags("Creators");
        creators.MapPost("/", CreateCreator).RequireScope("connect:write");
        creators.MapGet("/", ListCreators).RequireScope("connect:read");
        creators.MapGet("/{creatorId}", GetCreator).RequireScope("connect:read");
        creators.MapPost("/{creatorId}/connect/onboard", Onboard).RequireScope("connect:write");
        creators.MapGet("/{creatorId}/connect/status", GetStatus).RequireScope("connect:read");
        creators.MapGet("/{creatorId}/balance", GetBalance).RequireScope("connect:read");
        return routes;
    }

    /// <summary>Find-or-create by the app's own id: 201 with a new creator, 200 with the existing one (its email unchanged).</summary>
    public static async Task<Results<Created<CreatorResponse>, Ok<CreatorResponse>>> CreateCreator(
        string appId, CreateCreatorRequest request, CreatorDirectory creators, CancellationToken ct)
    {
        request.Validate();
        var (creator, created) = await creators.FindOrCreateAsync(appId, request.ExternalId!, request.Email!, ct);
        var body = CreatorResponse.From(creator, await creators.AccountIdAsync(appId, creator.Id, ct));
        return created ? TypedResults.Created($"/v1/{appId}/creators/{creator.Id}", body) : TypedResults.Ok(body);
    }

    public static async Task<Ok<Page<CreatorResponse>>> ListCreators(
        string appId, ConnectDbContext db, string? externalId, int? limit, string? startingAfter, CancellationToken ct)
    {
        var page = PageRequest.From(limit, startingAfter);
        var query = db.Creators.AsNoTracking().Where(c => c.AppId == appId);
        if (externalId is not null) query = query.Where(c => c.ExternalId == externalId);
        var rows = await query.ToPageAsync(page, c => c.Id, ct);
        var ids = rows.Data.Select(c => c.Id).ToList();
        var accounts = await db.ConnectedAccounts.AsNoTracking().Where(a => a.AppId == appId && ids.Contains(a.OwnerId))
            .ToDictionaryAsync(a => a.OwnerId, a => a.StripeAccountId, ct);
        return TypedResults.Ok(rows.Map(c => CreatorResponse.From(c, accounts.GetValueOrDefault(c.Id))));
    }

    public static async Task<Ok<CreatorResponse>> GetCreator(string appId, string creatorId, CreatorDirectory creators, CancellationToken ct)
    {
        var creator = await creators.GetAsync(appId, creatorId, ct);
        return TypedResults.Ok(CreatorResponse.From(creator, await creators.AccountIdAsync(appId, creator.Id, ct)));
    }

    /// <summary>As the app's own onboarding, for the creator's Express account (transfers only).</summary>
    public static async Task<Ok<OnboardResponse>> Onboard(
        string appId, string creatorId, OnboardRequest request, HttpContext http, CreatorDirectory creators, AccountOnboarding onboarding,
        CancellationToken ct)
    {
        var creator = await creators.GetAsync(appId, creatorId, ct);
        request.Validate(http.Caller().RedirectAllowlist);
        var account = await onboarding.EnsureAccountAsync(new AccountOwner(appId, creator.Id, creator.Email), ct);
        var link = await onboarding.LinkAsync(account, request.ReturnUrl!, request.RefreshUrl!, ct);
        return TypedResults.Ok(new OnboardResponse(link.AccountId, link.OnboardingUrl, link.ExpiresAt));
    }

    public static async Task<Ok<ConnectStatusResponse>> GetStatus(
        string appId, string creatorId, CreatorDirectory creators, AccountStates states, CancellationToken ct)
    {
        var creator = await creators.GetAsync(appId, creatorId, ct);
        return TypedResults.Ok(ConnectStatusResponse.From(await states.CurrentAsync(appId, creator.Id, ct)));
    }

    public static async Task<Ok<BalanceResponse>> GetBalance(
        string appId, string creatorId, CreatorDirectory creators, EarningsLedger ledger, CancellationToken ct)
    {
        var creator = await creators.GetAsync(appId, creatorId, ct);
        var balance = await ledger.BalanceAsync(appId, creator.Id, ct);
        return TypedResults.Ok(new BalanceResponse(balance.AvailableCents, balance.PendingCents, balance.CarriedForwardCents, ConnectOptions.Currency));
    }
}
