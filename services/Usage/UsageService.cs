using Billing.ServiceDefaults;
using Billing.ServiceDefaults.Data;
using Billing.Usage.Apis;
using Billing.Usage.Infrastructure;

namespace Billing.Usage;

/// <summary>Meters, usage events, daily aggregates, plan limits, entitlement checks, the platform dashboard.</summary>
public static class UsageService
{
    public const string Name = "usage";

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults(Name);
        builder.AddServiceDatabase<UsageDbContext>(Name);

        var app = builder.Build();
        app.UseServiceDefaults();
        app.MapDefaultEndpoints();
        app.MapMetersApi();
        return app;
    }
}
