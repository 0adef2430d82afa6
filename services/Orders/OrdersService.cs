using Billing.Orders.Apis;
using Billing.Orders.Customers;
using Billing.Orders.Infrastructure;
using Billing.Orders.IntegrationEvents;
using Billing.Orders.Ledger;
using Billing.Orders.Payments;
using Billing.Orders.Peers;
using Billing.Orders.Charges;
using Billing.ServiceDefaults;
using Billing.ServiceDefaults.Data;
using Billing.ServiceDefaults.Http;
using Billing.ServiceDefaults.Messaging;
using Billing.Stripe;

namespace Billing.Orders;

/// <summary>One-time purchases and orders, refunds, held deposits, and the prepaid wallet.</summary>
public static class OrdersService
{
    public const string Name = "orders";

    /// <summary>What <c>migrate</c> applies (Program.cs): the same scripts <c>AddServiceDatabase</c> registers.</summary>
    public static readonly ServiceMigrations Migrations = ServiceMigrations.For<OrdersDbContext>(Name);

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults(Name);
        builder.AddServiceDatabase<OrdersDbContext>(Name);
        builder.AddServiceBus<OrdersDbContext>(bus => bus.AddOrdersConsumers());
        builder.Services.AddStripeClient(builder.Configuration);
        builder.Services.AddOptions<OrdersOptions>().BindConfiguration(OrdersOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<CustomerDirectory>();
        builder.Services.AddPeerServiceReader<SubscriptionsCustomers>("subscriptions");
        builder.Services.AddPeerServiceReader<CatalogProducts>("catalog");
        builder.Services.AddScoped<LedgerWriter>();
        builder.Services.AddSingleton<WalletChargeQueue>();
        builder.Services.AddScoped<WalletCharges>();
        builder.Services.AddScoped<PaymentCheckout>();
        builder.Services.AddScoped<OrderPayments>();
        builder.Services.AddScoped<OrderSettlement>();
        builder.Services.AddScoped<Purchases>();

        var app = builder.Build();
        app.UseServiceDefaults();
        app.MapDefaultEndpoints();
        app.MapOrdersApi();
        app.MapWalletApi();
        return app;
    }
}
