using Billing.Orders.Apis;
using Billing.Orders.Infrastructure;
using Billing.ServiceDefaults;
using Billing.ServiceDefaults.Data;

namespace Billing.Orders;

/// <summary>One-time purchases and orders, refunds, held deposits, and the prepaid wallet.</summary>
public static class OrdersService
{
    public const string Name = "orders";

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults(Name);
        builder.AddServiceDatabase<OrdersDbContext>(Name);

        var app = builder.Build();
        app.UseServiceDefaults();
        app.MapDefaultEndpoints();
        app.MapOrdersApi();
        return app;
    }
}
