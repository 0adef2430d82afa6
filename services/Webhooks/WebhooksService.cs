using Billing.ServiceDefaults;
using Billing.ServiceDefaults.Data;
using Billing.Webhooks.Apis;
using Billing.Webhooks.Infrastructure;

namespace Billing.Webhooks;

/// <summary>The one door for Stripe events: signature check, dedupe, durable storage, normalized events, replay.</summary>
public static class WebhooksService
{
    public const string Name = "webhooks";

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults(Name);
        builder.AddServiceDatabase<WebhooksDbContext>(Name);

        var app = builder.Build();
        app.UseServiceDefaults();
        app.MapDefaultEndpoints();
        app.MapWebhookEventsApi();
        return app;
    }
}
