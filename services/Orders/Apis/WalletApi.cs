using Billing.Orders.Customers;
using Billing.Orders.Infrastructure;
using Billing.Orders.Ledger;
using Billing.Orders.Model;
using Billing.Orders.Payments;
using Billing.Orders.Charges;
using Billing.ServiceDefaults.Api;
using Billing.ServiceDefaults.Errors;
using Billing.ServiceDefaults.Idempotency;
using Billing.ServiceDefaults.Security;
using Billing.Stripe;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Stripe;

namespace Billing.Orders.Apis;

public static class WalletApi
{
    public static IEndpointRouteBuilder MapWalletApi(this IEndpointRouteBuilder routes)
    {
        var wallet = routes.MapGroup("/v1/{appId}/billing/wallet").WithTags("Wallet");
        wallet.MapPost("/deposit", Deposit).RequireScope("wallet:write");
        wallet.MapGet("/verify", Verify).RequireScope("wallet:read");
        wallet.MapGet("/", Balance).RequireScope("wallet:read");
        wallet.MapGet("/transactions", Transactions).RequireScope("wallet:read");
        wallet.MapPost("/charge", Charge).RequireScope("wallet:write");
        wallet.MapPost("/charges/{chargeId}/refund", RefundCharge).RequireScope("wallet:write");
        wallet.MapWalletFee();
        return routes;
    }

    /// <summary>Opens Checkout in payment mode for a deposit; the wallet is credited when it is paid (webhook or verify).</summary>
    public static async Task<Created<OrderCheckoutResponse>> Deposit(
        string appId, DepositRequest request, HttpContext http, CustomerDirectory customers, PaymentCheckout checkout, CancellationToken ct)
    {
        request.Validate();
        var allowlist = http.Caller().RedirectAllowlist;
        allowlist.EnsureAllowed(request.SuccessUrl, "successUrl");
        allowlist.EnsureAllowed(request.CancelUrl, "cancelUrl");
        var customer = await customers.ResolveAsync(appId, request.Customer, ct);
        var order = new Order
        {
            Id = Ids.New("ord"), AppId = appId, CustomerId = customer.Id, Kind = OrderKind.Deposit, AmountCents = request.AmountCents!.Value,
            Description = "Wallet deposit",
        };
        var session = await checkout.OpenAsync(order, new CheckoutItem(null, "Wallet deposit"), request.SuccessUrl!, request.CancelUrl!, null, ct);
        return TypedResults.Created($"/v1/{appId}/billing/orders/{order.Id}", session);
    }

    /// <summary>
    /// Reads the session from Stripe and applies it exactly as the webhook does: the wallet is credited
    /// once, whichever of the two comes first and however often each comes.
    /// </summary>
    public static async Task<Ok<DepositVerification>> Verify(
        string appId, string? sessionId, StripeClient stripe, OrdersDbContext db, OrderPayments payments, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(sessionId) || !sessionId.StartsWith("cs_", StringComparison.Ordinal) || sessionId.Length > 255)
            throw ApiException.Validation("sessionId", "sessionId must be a Checkout Session id (cs_…).");
        var order = await db.Orders.AsNoTracking()
            .SingleOrDefaultAsync(o => o.AppId == appId && o.StripeCheckoutSessionId == sessionId && o.Kind == OrderKind.Deposit, ct)
            ?? throw ApiException.NotFound("The deposit");
        var session = await stripe.V1.Checkout.Sessions.GetAsync(sessionId, cancellationToken: ct);
        var applied = session.Status switch
        {
            "complete" => await payments.SessionCompletedAsync(appId, session.Id, session.PaymentIntentId, session.PaymentStatus, session.AmountTotal, ct),
            "expired" => await payments.SessionExpiredAsync(appId, session.Id, ct),
            _ => order,
        } ?? order;
        var deposited = applied.IsCaptured;
        return TypedResults.Ok(new DepositVerification(deposited, deposited ? applied.CapturedCents : 0, applied.Id, applied.Status));
    }

    /// <summary>The customer's balance, summed from the wallet account's ledger lines.</summary>
    public static async Task<Ok<WalletResponse>> Balance(
        string appId, string? customerId, string? customerExternalId, CustomerDirectory customers, LedgerWriter ledger, CancellationToken ct)
    {
        var customer = (await customers.ResolveAsync(appId, Named(customerId, customerExternalId), ct)).Id;
        return TypedResults.Ok(new WalletResponse(customer, await ledger.WalletBalanceAsync(appId, customer, ct), "usd"));
    }

    /// <summary>The wallet's movements, oldest first, cursor-paged by their <c>wtx_</c> id; amounts as the wallet saw them (credits positive).</summary>
    public static async Task<Ok<Page<WalletTransactionResponse>>> Transactions(
        string appId, string? customerId, string? customerExternalId, int? limit, string? startingAfter, CustomerDirectory customers,
        OrdersDbContext db, CancellationToken ct)
    {
        var page = PageRequest.From(limit, startingAfter);
        var customer = (await customers.ResolveAsync(appId, Named(customerId, customerExternalId), ct)).Id;
        var rows = await db.LedgerTransactions.AsNoTracking().Where(t => t.AppId == appId && t.CustomerId == customer)
            .ToPageAsync(page, t => t.Id, ct);
        return TypedResults.Ok(rows.Map(t => new WalletTransactionResponse(
            t.Id, t.Kind, t.Kind is LedgerKind.Deposit or LedgerKind.ChargeRefund ? t.AmountCents : -t.AmountCents, t.Currency,
            t.Description, t.OrderId, t.ChargeId, t.CreatorId, t.CreatedAt)));
    }

    /// <summary>
    /// Marketplace use: debit, the app's fee, the creator's share; 402 <c>insufficient_funds</c> when short.
    /// Booked once per Idempotency-Key, also when the middleware's record of the first answer is gone (see <see cref="ChargeKey"/>).
    /// </summary>
    public static async Task<Created<ChargeResponse>> Charge(
        string appId, ChargeRequest request, HttpContext http, CustomerDirectory customers, WalletCharges charges, CancellationToken ct)
    {
        request.Validate();
        // The IdempotencyMiddleware ran before this handler: it refused a malformed key (400) and answers a
        // completed one itself, so a key seen here is valid and its request runs. Its owner is the caller's
        // app (the path's, RequireScope checks) and mode: the charge's key lives in the same namespace.
        var key = http.Request.Headers.TryGetValue(IdempotencyMiddleware.Header, out var header)
            ? new ChargeKey(http.Caller().Mode, header.ToString())
            : null;
        // Only customers Orders knows have a wallet row (keyed by app and customer), so a charge by
        // customerId that debits it needs no customer read first; when it debits nothing, the customer is
        // resolved then, and an unknown one (or another app's) is 404 rather than 402.
        var customerId = request.CustomerId ?? (await customers.ResolveAsync(appId, request.Customer, ct)).Id;
        (LedgerTransaction Charge, long BalanceCents) charged;
        try
        {
            charged = await charges.ChargeAsync(appId, customerId, request.AmountCents!.Value, request.CreatorId, request.Description!, key, ct);
        }
        catch (ApiException e) when (e.Status == 402 && request.CustomerId is not null)
        {
            await customers.ResolveAsync(appId, request.Customer, ct);
            throw;
        }
        var (charge, balance) = charged;
        // As booked (a retry's answer is the first booking's): the same 201 as the first answer, with the balance now.
        return TypedResults.Created($"/v1/{appId}/billing/wallet/charges/{charge.Id}", new ChargeResponse(
            charge.Id, charge.CustomerId!, charge.CreatorId, charge.AmountCents, charge.FeeCents, charge.CreatorCents, charge.Currency,
            charge.Description!, balance, charge.CreatedAt));
    }

    /// <summary>Gives (part of) a charge back to the wallet, taking back fee and creator share in proportion; never more than charged.</summary>
    public static async Task<Ok<ChargeRefundResponse>> RefundCharge(
        string appId, string chargeId, RefundRequest? request, WalletCharges charges, CancellationToken ct)
    {
        request?.Validate();
        var (refund, total) = await charges.RefundAsync(appId, chargeId, request?.AmountCents, ct);
        return TypedResults.Ok(new ChargeRefundResponse(refund.Id, chargeId, refund.AmountCents, refund.FeeCents, refund.CreatorCents, total,
            refund.Currency, refund.CreatedAt));
    }

    // The wallet's reads name the customer by id or external id (never create one); blank is "missing" (400), not an id to look up.
    private static CustomerReference Named(string? customerId, string? customerExternalId) =>
        new(string.IsNullOrWhiteSpace(customerId) ? null : customerId, string.IsNullOrWhiteSpace(customerExternalId) ? null : customerExternalId, null);
}
