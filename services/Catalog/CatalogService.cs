using Billing.Catalog.Apis;
using Billing.Catalog.Infrastructure;
using Billing.Catalog.Platform;
using Billing.Catalog.Replay;
using Billing.Catalog.StripeSync;
using Billing.ServiceDefaults;
using Billing.ServiceDefaults.Data;
using Billing.ServiceDefaults.Messaging;
using Billing.Stripe;

namespace Billing.Catalog;

/// <summary>Plans and products, their Stripe products and prices, and the public catalog.</summary>
public static class CatalogService
{
    public const string Name = "catalog";

    /// <summary>What <c>migrate</c> applies (Program.cs): the same scripts <c>AddServiceDatabase</c> registers.</summary>
    public static readonly ServiceMigrations Migrations = ServiceMigrations.For<CatalogDbContext>(Name);

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults(Name);
        builder.AddServiceDatabase<CatalogDbContext>(Name);
        builder.AddServiceBus<CatalogDbContext>(bus =>
        {
            bus.AddConsumer<StripeSyncConsumer>();
            bus.AddConsumer<PlansReplayConsumer>();
        });
        builder.Services.AddStripeClient(builder.Configuration);
        builder.Services.AddOptions<CatalogOptions>().BindConfiguration(CatalogOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<StripeCatalogPush>();
        builder.Services.AddSingleton<StripeSyncSweeper>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<StripeSyncSweeper>());
        builder.Services.AddSingleton<PlatformTiersSeeder>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PlatformTiersSeeder>());

        var app = builder.Build();
        app.UseServiceDefaults();
        app.MapDefaultEndpoints();
        app.MapPlansApi();
        app.MapProductsApi();
        return app;
    }
}
