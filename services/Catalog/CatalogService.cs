using Billing.Catalog.Apis;
using Billing.Catalog.Infrastructure;
using Billing.ServiceDefaults;
using Billing.ServiceDefaults.Data;

namespace Billing.Catalog;

/// <summary>Plans and products, their Stripe products and prices, and the public catalog.</summary>
public static class CatalogService
{
    public const string Name = "catalog";

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults(Name);
        builder.AddServiceDatabase<CatalogDbContext>(Name);

        var app = builder.Build();
        app.UseServiceDefaults();
        app.MapDefaultEndpoints();
        app.MapPlansApi();
        return app;
    }
}
