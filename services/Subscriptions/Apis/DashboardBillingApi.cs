using Billing.Contracts;
using Billing.ServiceDefaults.Api;
using Billing.ServiceDefaults.Errors;
using Billing.ServiceDefaults.Security;
using Billing.Stripe;
using Billing.Subscriptions.Checkout;
using Billing.Subscriptions.Customers;
using Billing.Subscriptions.Infrastructure;
using Billing.Subscriptions.Plans;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Stripe;

namespace Billing.Subscriptions.Apis;

public sealed record DashboardCheckoutRequest(string? Tier, string? BillingInterval, string? SuccessUrl, string? CancelUrl);

public sealed record DashboardPortalRequest(string? ReturnUrl);

/// <summary>
/// The platform's own billing, for the calling developer account: the developer is a customer of the
/// platform app (external id = the account id) and the tiers are the platform app's plans, found by
/// their <c>tier</c> metadata. The same checkout and portal code as any app's.
/// </summary>
public static class DashboardBillingApi
{
    public static IEndpointRouteBuilder MapDashboardBillingApi(this IEndpointRouteBuilder routes)
    {
        var dashboard = routes.MapGroup("/dashboard/billing").WithTags("Dashboard");
        dashboard.MapPost("/checkout", Checkout).RequireAccount();
        dashboard.MapPost("/portal", Portal).RequireAccount();
        return routes;
    }

    /// <summary>Checkout for a paid tier (201, or 200 with the session still open); <c>free</c> needs none and is refused.</summary>
    public static async Task<Results<Created<CheckoutResponse>, Ok<CheckoutResponse>>> Checkout(
        DashboardCheckoutRequest request, HttpContext http, SubscriptionsDbContext db, CustomerDirectory customers, PlanResolver plans,
        CheckoutOpener opener, IOptions<SubscriptionsOptions> options, CancellationToken ct)
    {
        new Validation()
            .Check(request.Tier is not null && PlatformApp.Tiers.Contains(request.Tier), "tier", $"tier must be one of: {string.Join(", ", PlatformApp.Tiers)}.")
            .Check(request.Tier != PlatformApp.Tiers[0], "tier",
                "The free tier needs no checkout: a developer without a paid subscription is on free (cancel a paid one to go back).")
            .Check(request.BillingInterval is "monthly" or "yearly", "billingInterval", "billingInterval must be monthly or yearly.")
            .Text(request.SuccessUrl, "successUrl", 2048)
            .Text(request.CancelUrl, "cancelUrl", 2048)
            .ThrowIfInvalid();
        var allowlist = DashboardRedirects.Allowlist(options.Value, request.SuccessUrl, request.CancelUrl);
        CheckoutApi.EnsureRedirects(allowlist, request.SuccessUrl, request.CancelUrl);

        var tierPlans = await db.Plans.AsNoTracking().Where(p => p.AppId == PlatformApp.Id && p.Active).ToListAsync(ct);
        // Should another active platform plan name the same tier, the seeded one (plan_platform_{tier}) wins, then the
        // oldest id: the choice never depends on the order rows come back in.
        var plan = tierPlans.Where(p => p.Metadata.TryGetValue(PlatformApp.TierKey, out var tier) && tier == request.Tier)
                       .OrderBy(p => p.Id == $"plan_platform_{request.Tier}" ? 0 : 1).ThenBy(p => p.Id, StringComparer.Ordinal).FirstOrDefault()
            ?? throw ApiException.NotFound($"The {request.Tier} tier's plan");
        var item = await plans.ByPlanAsync(PlatformApp.Id, plan.Id, request.BillingInterval == "yearly" ? "year" : "month", ct);
        var developer = await DeveloperAsync(http, customers, ct);
        var (session, opened) = await opener.OpenAsync(new CheckoutOrder(PlatformApp.Id, developer, item, 1, null,
            request.SuccessUrl!, request.CancelUrl!, null), ct);
        return opened ? TypedResults.Created(session.Url, session) : TypedResults.Ok(session);
    }

    public static async Task<Ok<PortalResponse>> Portal(
        DashboardPortalRequest request, HttpContext http, CustomerDirectory customers, StripeClient stripe,
        IOptions<SubscriptionsOptions> options, CancellationToken ct)
    {
        new Validation().Text(request.ReturnUrl, "returnUrl", 2048).ThrowIfInvalid();
        DashboardRedirects.Allowlist(options.Value, request.ReturnUrl).EnsureAllowed(request.ReturnUrl, "returnUrl");
        var developer = await DeveloperAsync(http, customers, ct);
        return TypedResults.Ok(await SubscriptionsApi.OpenPortalAsync(developer, request.ReturnUrl!, customers, stripe, ct));
    }

    private static async Task<Model.Customer> DeveloperAsync(HttpContext http, CustomerDirectory customers, CancellationToken ct)
    {
        var accountId = http.Caller().AccountId ?? throw new ApiException(401, ErrorCodes.Unauthorized, "The account token names no account.");
        return (await customers.FindOrCreateAsync(PlatformApp.Id, accountId, null, null, null, ct)).Customer;
    }
}

/// <summary>
/// Where the dashboard may redirect: <c>Dashboard:RedirectOrigins</c> when configured; otherwise (local
/// development) any port of <c>http://localhost</c> or <c>http://127.0.0.1</c>, checked by the same strict
/// parser as app allowlists.
/// </summary>
internal static class DashboardRedirects
{
    public static RedirectAllowlist Allowlist(SubscriptionsOptions options, params string?[] urls)
    {
        if (options.DashboardRedirectOrigins.Count > 0) return RedirectAllowlist.From(options.DashboardRedirectOrigins);
        var local = urls.Select(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) && uri.Scheme == "http" && uri.Host is "localhost" or "127.0.0.1"
                ? $"http://{uri.Host}:{uri.Port}" : null)
            .OfType<string>();
        return RedirectAllowlist.From(local);
    }
}
