using Billing.Orders.Infrastructure;
using Billing.Orders.Model;
using Billing.Orders.Payments;
using Billing.ServiceDefaults.Api;
using Billing.ServiceDefaults.Errors;
using Billing.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Billing.Orders.Apis;

public static class OrdersApi
{
    public static IEndpointRouteBuilder MapOrdersApi(this IEndpointRouteBuilder routes)
    {
        // BillStack's checkout with mode=payment (Subscriptions) hands over here with its caller's key: subscriptions:write buys too.
        routes.MapPost("/v1/{appId}/billing/purchase", Purchase).WithTags("Orders").RequireScope("orders:write", "subscriptions:write");
        var orders = routes.MapGroup("/v1/{appId}/billing/orders").WithTags("Orders");
        orders.MapGet("/", ListOrders).RequireScope("orders:read");
        orders.MapGet("/{orderId}", GetOrder).RequireScope("orders:read");
        orders.MapPost("/{orderId}/refund", Refund).RequireScope("orders:write");
        orders.MapPost("/{orderId}/capture", Capture).RequireScope("orders:write");
        orders.MapPost("/{orderId}/release", Release).RequireScope("orders:write");
        return routes;
    }

    /// <summary>Opens Checkout in payment mode for a Catalog product; the order follows Stripe's events.</summary>
    public static async Task<Created<OrderCheckoutResponse>> Purchase(
        string appId, PurchaseRequest request, HttpContext http, Purchases purchases, CancellationToken ct)
    {
        request.Validate();
        var allowlist = http.Caller().RedirectAllowlist;
        allowlist.EnsureAllowed(request.SuccessUrl, "successUrl");
        allowlist.EnsureAllowed(request.CancelUrl, "cancelUrl");
        var session = await purchases.OpenAsync(appId, request, ct);
        return TypedResults.Created($"/v1/{appId}/billing/orders/{session.OrderId}", session);
    }

    /// <summary>The app's orders, optionally of one customer or in one status, cursor-paged.</summary>
    public static async Task<Ok<Page<OrderResponse>>> ListOrders(
        string appId, OrdersDbContext db, string? customerId, string? status, int? limit, string? startingAfter, CancellationToken ct)
    {
        var page = PageRequest.From(limit, startingAfter);
        var statusFilter = SnakeCaseEnum.ParseOptional<OrderStatus>(status, nameof(status));
        var query = db.Orders.AsNoTracking().Where(o => o.AppId == appId);
        if (customerId is not null) query = query.Where(o => o.CustomerId == customerId);
        if (statusFilter is not null) query = query.Where(o => o.Status == statusFilter);
        var rows = await query.ToPageAsync(page, o => o.Id, ct);
        return TypedResults.Ok(rows.Map(OrderResponse.From));
    }

    public static async Task<Ok<OrderResponse>> GetOrder(string appId, string orderId, OrdersDbContext db, CancellationToken ct) =>
        TypedResults.Ok(OrderResponse.From(await db.Orders.AsNoTracking().SingleOrDefaultAsync(o => o.AppId == appId && o.Id == orderId, ct)
            ?? throw ApiException.NotFound("The order")));

    /// <summary>Refunds all that is left, or <c>amountCents</c> of it; a deposit's refund leaves the wallet as far as its balance allows.</summary>
    public static async Task<Ok<OrderResponse>> Refund(
        string appId, string orderId, RefundRequest? request, OrderSettlement settlement, CancellationToken ct)
    {
        request?.Validate();
        return TypedResults.Ok(OrderResponse.From(await settlement.RefundAsync(appId, orderId, request?.AmountCents, ct)));
    }

    public static async Task<Ok<OrderResponse>> Capture(
        string appId, string orderId, CaptureRequest? request, OrderSettlement settlement, CancellationToken ct)
    {
        request?.Validate();
        return TypedResults.Ok(OrderResponse.From(await settlement.CaptureAsync(appId, orderId, request?.AmountCents, ct)));
    }

    public static async Task<Ok<OrderResponse>> Release(string appId, string orderId, OrderSettlement settlement, CancellationToken ct) =>
        TypedResults.Ok(OrderResponse.From(await settlement.ReleaseAsync(appId, orderId, ct)));
}
