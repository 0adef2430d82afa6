using Billing.ServiceDefaults;
using Billing.ServiceDefaults.Data;
using Billing.ServiceDefaults.Http;
using Billing.ServiceDefaults.Messaging;
using Billing.Stripe;
using Billing.Subscriptions.Apis;
using Billing.Subscriptions.Changes;
using Billing.Subscriptions.Checkout;
using Billing.Subscriptions.Customers;
using Billing.Subscriptions.Infrastructure;
using Billing.Subscriptions.IntegrationEvents;
using Billing.Subscriptions.Peers;
using Billing.Subscriptions.Plans;
using Billing.Subscriptions.Sync;

namespace Billing.Subscriptions;

/// <summary>Billing customers, subscription checkout and state, cancel/resume, the billing portal.</summary>
public static class SubscriptionsService
{
    public const string Name = "subscriptions";

    /// <summary>What <c>migrate</c> applies (Program.cs): the same scripts <c>AddServiceDatabase</c> registers.</summary>
    public static readonly ServiceMigrations Migrations = ServiceMigrations.For<SubscriptionsDbContext>(Name);

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults(Name);
        builder.AddServiceDatabase<SubscriptionsDbContext>(Name);
        var eventConcurrency = builder.Configuration.GetValue($"{SubscriptionsOptions.Section}:{nameof(SubscriptionsOptions.EventConcurrency)}", SubscriptionsOptions.DefaultEventConcurrency);
        builder.AddServiceBus<SubscriptionsDbContext>(bus => bus.AddStripeEventConsumers(eventConcurrency));
        builder.Services.AddStripeClient(builder.Configuration);
        builder.Services.AddOptions<SubscriptionsOptions>().BindConfiguration(SubscriptionsOptions.Section)
            .Configure<IConfiguration>((options, configuration) =>
                options.DashboardRedirectOrigins = configuration.GetSection("Dashboard:RedirectOrigins").Get<List<string>>() ?? []);
        builder.Services.AddSingleton<PlanCache>();
        builder.Services.AddSingleton<StripeCustomerIndex>();
        builder.Services.AddScoped<PlanResolver>();
        builder.Services.AddScoped<CustomerDirectory>();
        builder.Services.AddScoped<SubscriptionSync>();
        builder.Services.AddScoped<CheckoutApplier>();
        builder.Services.AddScoped<CheckoutOpener>();
        builder.Services.AddScoped<SubscriptionChanger>();
        builder.Services.AddHttpClient<OrdersHandover>(http => http.BaseAddress = new Uri("http://orders"));
        builder.Services.AddPeerServiceReader<CatalogPlans>("catalog");

        var app = builder.Build();
        app.UseServiceDefaults();
        app.MapDefaultEndpoints();
        app.MapCustomersApi();
        app.MapCheckoutApi();
        app.MapSubscriptionsApi();
        app.MapSubscriptionChangeApi();
        app.MapDashboardBillingApi();
        return app;
    }
}
