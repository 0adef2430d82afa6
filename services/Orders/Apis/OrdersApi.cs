using Billing.Orders.Infrastructure;
using Billing.Orders.Model;
using Billing.ServiceDefaults.Api;
using Billing.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Billing.Orders.Apis;

public static class OrdersApi
{
    public static IEndpointRouteBuilder MapOrdersApi(this IEndpointRouteBuilder routes)
    {
        var orders = routes.MapGroup("/v1/{appId}/billing/orders").WithTags("Orders");
        orders.MapGet("/", ListOrders).RequireScope("orders:read");
        return routes;
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
}
