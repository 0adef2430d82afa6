using Billing.ServiceDefaults.Api;
using Billing.ServiceDefaults.Errors;
using Billing.ServiceDefaults.Security;
using Billing.Stripe;
using Billing.Subscriptions.Customers;
using Billing.Subscriptions.Infrastructure;
using Billing.Subscriptions.Model;
using Billing.Subscriptions.Sync;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Stripe;
using Customer = Billing.Subscriptions.Model.Customer;
using Subscription = Billing.Subscriptions.Model.Subscription;

namespace Billing.Subscriptions.Apis;

/// <summary>cancel and resume: the customer, and which of its subscriptions (its current one when none is named).</summary>
public sealed record SubscriptionActionRequest(string? CustomerId, string? CustomerExternalId, string? Email, string? SubscriptionId)
{
    public CustomerReference Customer => new(CustomerId, CustomerExternalId, Email);
}

public sealed record PortalRequest(string? CustomerId, string? CustomerExternalId, string? Email, string? ReturnUrl)
{
    public CustomerReference Customer => new(CustomerId, CustomerExternalId, Email);
}

public sealed record PortalResponse(string Url);

public static class SubscriptionsApi
{
    public static IEndpointRouteBuilder MapSubscriptionsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/{appId}/billing").WithTags("Subscriptions");
        group.MapGet("/subscriptions", ListSubscriptions).RequireScope("subscriptions:read");
        group.MapGet("/subscription", GetCurrentSubscription).RequireScope("subscriptions:read");
        group.MapPost("/cancel", Cancel).RequireScope("subscriptions:write");
        group.MapPost("/resume", Resume).RequireScope("subscriptions:write");
        group.MapPost("/portal", Portal).RequireScope("subscriptions:write");
        return routes;
    }

    /// <summary>The app's subscriptions, optionally of one customer or in one status, cursor-paged.</summary>
    public static async Task<Ok<Page<SubscriptionResponse>>> ListSubscriptions(
        string appId, SubscriptionsDbContext db, string? customerId, string? status, int? limit, string? startingAfter,
        CancellationToken ct)
    {
        var page = PageRequest.From(limit, startingAfter);
        var statusFilter = SnakeCaseEnum.ParseOptional<SubscriptionStatus>(status, nameof(status));
        var query = db.Subscriptions.AsNoTracking().Where(s => s.AppId == appId);
        if (customerId is not null) query = query.Where(s => s.CustomerId == customerId);
        if (statusFilter is not null) query = query.Where(s => s.Status == statusFilter);
        var rows = await query.ToPageAsync(page, s => s.Id, ct);
        return TypedResults.Ok(rows.Map(SubscriptionResponse.From));
    }

    /// <summary>The customer's current subscription: the newest that has not ended (404 when none).</summary>
    public static async Task<Ok<SubscriptionResponse>> GetCurrentSubscription(string appId, string? customerId, SubscriptionsDbContext db, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(customerId)) throw ApiException.Validation("customerId", "customerId is required.");
        return TypedResults.Ok(SubscriptionResponse.From(await CurrentAsync(db, appId, customerId, null, ct)));
    }

    /// <summary>Cancels at the end of the period in Stripe; answers the subscription as Stripe then has it.</summary>
    public static Task<Ok<SubscriptionResponse>> Cancel(
        string appId, SubscriptionActionRequest request, SubscriptionsDbContext db, CustomerDirectory customers, StripeClient stripe,
        SubscriptionSync sync, CancellationToken ct) =>
        SetCancelAtPeriodEndAsync(appId, request, cancel: true, db, customers, stripe, sync, ct);

    /// <summary>Undoes a pending cancel.</summary>
    public static Task<Ok<SubscriptionResponse>> Resume(
        string appId, SubscriptionActionRequest request, SubscriptionsDbContext db, CustomerDirectory customers, StripeClient stripe,
        SubscriptionSync sync, CancellationToken ct) =>
        SetCancelAtPeriodEndAsync(appId, request, cancel: false, db, customers, stripe, sync, ct);

    /// <summary>Stripe's billing portal for the customer (card, invoices, cancel), returning to an allowlisted URL.</summary>
    public static async Task<Ok<PortalResponse>> Portal(
        string appId, PortalRequest request, HttpContext http, CustomerDirectory customers, StripeClient stripe, CancellationToken ct)
    {
        var validation = new Validation().Text(request.ReturnUrl, "returnUrl", 2048);
        request.Customer.Validate(validation);
        validation.ThrowIfInvalid();
        http.Caller().RedirectAllowlist.EnsureAllowed(request.ReturnUrl, "returnUrl");
        var customer = await customers.ResolveAsync(appId, request.Customer, ct);
        return TypedResults.Ok(await OpenPortalAsync(customer, request.ReturnUrl!, customers, stripe, ct));
    }

    internal static async Task<PortalResponse> OpenPortalAsync(
        Customer customer, string returnUrl, CustomerDirectory customers, StripeClient stripe, CancellationToken ct)
    {
        var stripeCustomer = await customers.EnsureStripeCustomerAsync(customer, ct);
        // A portal session is a short-lived link, not money: each call gets a fresh one (no idempotency key of ours).
        var session = await stripe.V1.BillingPortal.Sessions.CreateAsync(
            new global::Stripe.BillingPortal.SessionCreateOptions { Customer = stripeCustomer, ReturnUrl = returnUrl }, cancellationToken: ct);
        return new PortalResponse(session.Url);
    }

    private static async Task<Ok<SubscriptionResponse>> SetCancelAtPeriodEndAsync(
        string appId, SubscriptionActionRequest request, bool cancel, SubscriptionsDbContext db, CustomerDirectory customers,
        StripeClient stripe, SubscriptionSync sync, CancellationToken ct)
    {
        var validation = new Validation().Text(request.SubscriptionId, "subscriptionId", 100, required: false);
        request.Customer.Validate(validation);
        validation.ThrowIfInvalid();
        var customer = await customers.ResolveAsync(appId, request.Customer with { Email = null }, ct);
        var subscription = await CurrentAsync(db, appId, customer.Id, request.SubscriptionId, ct);
        if (subscription.StripeSubscriptionId is not { } stripeId) throw ApiException.Conflict("The subscription has no Stripe subscription yet.");
        if (!cancel && !subscription.CancelAtPeriodEnd && subscription.Status != SubscriptionStatus.Canceled)
            return TypedResults.Ok(SubscriptionResponse.From(subscription));
        if (subscription.Status == SubscriptionStatus.Canceled) throw ApiException.Conflict("The subscription has ended; subscribe again instead.");

        await stripe.V1.Subscriptions.UpdateAsync(stripeId, new SubscriptionUpdateOptions { CancelAtPeriodEnd = cancel },
            StripeConventions.Change(IdempotencyKeys.From(cancel ? "cancel" : "resume", subscription.Id, subscription.Version.ToString())), ct);
        // Stripe's answer goes through the same upsert as the webhooks (which will find nothing left to change).
        db.ChangeTracker.Clear();
        var updated = await sync.ApplyAsync(appId, stripeId, ct) ?? throw ApiException.NotFound("The subscription");
        return TypedResults.Ok(SubscriptionResponse.From(updated));
    }

    /// <summary>The named subscription of the customer, or the customer's newest one that has not ended.</summary>
    private static async Task<Subscription> CurrentAsync(SubscriptionsDbContext db, string appId, string customerId, string? subscriptionId, CancellationToken ct)
    {
        var query = db.Subscriptions.Where(s => s.AppId == appId && s.CustomerId == customerId);
        var found = subscriptionId is not null
            ? await query.SingleOrDefaultAsync(s => s.Id == subscriptionId, ct)
            : await query.Where(s => s.Status != SubscriptionStatus.Canceled && s.Status != SubscriptionStatus.IncompleteExpired)
                .OrderByDescending(s => s.Id).FirstOrDefaultAsync(ct);
        return found ?? throw ApiException.NotFound("The subscription");
    }
}
