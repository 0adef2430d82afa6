using Billing.ServiceDefaults.Errors;
using Billing.ServiceDefaults.Security;
using Billing.Stripe;
using Billing.Subscriptions.Checkout;
using Billing.Subscriptions.Customers;
using Billing.Subscriptions.Plans;
using Microsoft.AspNetCore.Http.HttpResults;
using Stripe;

namespace Billing.Subscriptions.Apis;

/// <summary>verify-session's answer: the session as Stripe has it, and the subscription it started, as we now hold it.</summary>
public sealed record CheckoutVerification(string Status, string? PaymentStatus, string Mode, SubscriptionResponse? Subscription);

public static class CheckoutApi
{
    public static IEndpointRouteBuilder MapCheckoutApi(this IEndpointRouteBuilder routes)
    {
        var billing = routes.MapGroup("/v1/{appId}/billing").WithTags("Checkout");
        billing.MapPost("/subscribe", Subscribe).RequireScope("subscriptions:write");
        billing.MapPost("/checkout", Checkout).RequireScope("subscriptions:write");
        billing.MapGet("/checkout/verify", Verify).RequireScope("subscriptions:read");
        return routes;
    }

    /// <summary>
    /// Opens Stripe Checkout for a plan: 201 with a new session, 200 with the customer's session for this
    /// plan that is still open (same price, quantity and trial), so a double click never makes two.
    /// </summary>
    public static async Task<Results<Created<CheckoutResponse>, Ok<CheckoutResponse>>> Subscribe(
        string appId, SubscribeRequest request, HttpContext http, CustomerDirectory customers, PlanResolver plans, CheckoutOpener opener,
        CancellationToken ct)
    {
        request.Validate();
        EnsureRedirects(http.Caller().RedirectAllowlist, request.SuccessUrl, request.CancelUrl);
        var item = await plans.ByPlanAsync(appId, request.PlanId!, request.Interval, ct);
        var customer = await customers.ResolveAsync(appId, request.Customer, ct);
        return Answer(await opener.OpenAsync(new CheckoutOrder(appId, customer, item, request.Quantity ?? 1, request.TrialDays,
            request.SuccessUrl!, request.CancelUrl!, request.Metadata), ct));
    }

    /// <summary>
    /// BillStack's checkout: as subscribe, naming one of our prices (<c>price_…</c>) instead of a plan;
    /// <c>mode=payment</c> (a one-time product's price) is Orders' purchase, answered with its <c>{orderId, sessionId, url}</c>.
    /// </summary>
    public static async Task<Results<Created<CheckoutResponse>, Ok<CheckoutResponse>, Created<System.Text.Json.JsonElement>>> Checkout(
        string appId, CheckoutRequest request, HttpContext http, CustomerDirectory customers, PlanResolver plans, CheckoutOpener opener,
        OrdersHandover orders, CancellationToken ct)
    {
        request.Validate();
        EnsureRedirects(http.Caller().RedirectAllowlist, request.SuccessUrl, request.CancelUrl);
        if (request.Mode == "payment")
        {
            var purchase = await orders.PurchaseAsync(appId, request, http, ct);
            return TypedResults.Created($"/v1/{appId}/billing/orders/{purchase.GetProperty("orderId").GetString()}", purchase);
        }
        var item = await plans.ByPriceAsync(appId, request.PriceId!, ct);
        var customer = await customers.ResolveAsync(appId, new CustomerReference(request.CustomerId, null, null), ct);
        return (await opener.OpenAsync(new CheckoutOrder(appId, customer, item, request.Quantity ?? 1, request.TrialDays,
            request.SuccessUrl!, request.CancelUrl!, request.Metadata), ct)) switch
        {
            (var session, true) => TypedResults.Created(session.Url, session),
            (var session, false) => TypedResults.Ok(session),
        };
    }

    /// <summary>
    /// Reads the session from Stripe and applies it exactly as the webhook would (idempotent), so the
    /// page a customer returns to shows the result even when webhooks are late or off.
    /// </summary>
    public static async Task<Ok<CheckoutVerification>> Verify(
        string appId, string? sessionId, StripeClient stripe, CheckoutApplier applier, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(sessionId) || !sessionId.StartsWith("cs_", StringComparison.Ordinal) || sessionId.Length > 255)
            throw ApiException.Validation("sessionId", "sessionId must be a Checkout Session id (cs_…).");
        global::Stripe.Checkout.Session session;
        try
        {
            session = await stripe.V1.Checkout.Sessions.GetAsync(sessionId, cancellationToken: ct);
        }
        catch (StripeException e) when (e.HttpStatusCode == System.Net.HttpStatusCode.NotFound)
        {
            throw ApiException.NotFound("The checkout session");
        }
        // Another app's session (or one we did not open) does not exist for this caller.
        if (StripeConventions.AppIdOf(session) != appId) throw ApiException.NotFound("The checkout session");

        Model.Subscription? subscription = null;
        if (session.Status == "complete" && session.Mode == "subscription")
            subscription = await applier.CompletedAsync(appId, session.Id, session.SubscriptionId, ct);
        else if (session.Status == "expired")
            await applier.ExpiredAsync(appId, session.Id, ct);
        return TypedResults.Ok(new CheckoutVerification(session.Status, session.PaymentStatus, session.Mode,
            subscription is null ? null : SubscriptionResponse.From(subscription)));
    }

    internal static void EnsureRedirects(RedirectAllowlist allowlist, params string?[] urls)
    {
        allowlist.EnsureAllowed(urls[0], "successUrl");
        allowlist.EnsureAllowed(urls[1], "cancelUrl");
    }

    private static Results<Created<CheckoutResponse>, Ok<CheckoutResponse>> Answer((CheckoutResponse Session, bool Opened) result) =>
        result.Opened ? TypedResults.Created(result.Session.Url, result.Session) : TypedResults.Ok(result.Session);
}
