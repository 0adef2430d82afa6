using Billing.ServiceDefaults;
using Billing.ServiceDefaults.Data;
using Billing.Subscriptions.Apis;
using Billing.Subscriptions.Infrastructure;

namespace Billing.Subscriptions;

/// <summary>Billing customers, subscription checkout and state, cancel/resume, the billing portal.</summary>
public static class SubscriptionsService
{
    public const string Name = "subscriptions";

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults(Name);
        builder.AddServiceDatabase<SubscriptionsDbContext>(Name);

        var app = builder.Build();
        app.UseServiceDefaults();
        app.MapDefaultEndpoints();
        app.MapSubscriptionsApi();
        return app;
    }
}
