using Billing.ServiceDefaults;
using Billing.ServiceDefaults.Data;
using Billing.ServiceDefaults.Messaging;
using Billing.Usage.Apis;
using Billing.Usage.Customers;
using Billing.Usage.Dashboard;
using Billing.Usage.Entitlements;
using Billing.Usage.Infrastructure;
using Billing.Usage.Ingestion;
using Billing.Usage.IntegrationEvents;
using Billing.Usage.Reports;

namespace Billing.Usage;

/// <summary>Meters, usage events, daily aggregates, plan limits, entitlement checks, the platform dashboard.</summary>
public static class UsageService
{
    public const string Name = "usage";

    /// <summary>What <c>migrate</c> applies (Program.cs): the same scripts <c>AddServiceDatabase</c> registers.</summary>
    public static readonly ServiceMigrations Migrations = ServiceMigrations.For<UsageDbContext>(Name);

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults(Name);
        builder.AddServiceDatabase<UsageDbContext>(Name);
        builder.AddServiceBus<UsageDbContext>(bus =>
        {
            bus.AddConsumer<SubscriptionChangedConsumer>();
            bus.AddConsumer<PlanChangedConsumer>();
        });
        builder.AddUsageCounters();
        builder.Services.AddSingleton<CustomerDirectory>();
        builder.Services.AddSingleton<MeterDirectory>();
        builder.Services.AddSingleton<UsageEventWriter>();
        builder.Services.AddSingleton<UsageCounters>();
        builder.Services.AddSingleton<UsageReports>();
        builder.Services.AddScoped<UsageAlerts>();
        builder.Services.AddHostedService<PlatformPlansBackfill>();

        var app = builder.Build();
        app.UseServiceDefaults();
        app.MapDefaultEndpoints();
        app.MapMetersApi();
        app.MapUsageEventsApi();
        app.MapUsageApi();
        app.MapEntitlementsApi();
        app.MapDashboardApi();
        app.MapDashboardPage();
        return app;
    }
}
