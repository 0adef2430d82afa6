using Billing.ServiceDefaults;
using Billing.ServiceDefaults.Data;
using Billing.ServiceDefaults.Messaging;
using Billing.Stripe;
using Billing.Webhooks.Apis;
using Billing.Webhooks.Infrastructure;
using Billing.Webhooks.Ingest;
using Billing.Webhooks.Intake;
using Billing.Webhooks.IntegrationEvents;
using Billing.Webhooks.Normalization;
using Billing.Webhooks.Reconciliation;

namespace Billing.Webhooks;

/// <summary>The one door for Stripe events: signature check, dedupe, durable storage, normalized events, replay.</summary>
public static class WebhooksService
{
    public const string Name = "webhooks";

    /// <summary>What <c>migrate</c> applies (Program.cs): the same scripts <c>AddServiceDatabase</c> registers.</summary>
    public static readonly ServiceMigrations Migrations = ServiceMigrations.For<WebhooksDbContext>(Name);

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults(Name);
        builder.AddServiceDatabase<WebhooksDbContext>(Name);
        builder.AddServiceBus<WebhooksDbContext>(bus => bus.AddDeadLetterRecorders());
        builder.Services.AddStripeClient(builder.Configuration);
        builder.Services.AddStripeWebhookVerification(builder.Configuration);
        builder.Services.AddOptions<WebhooksOptions>().BindConfiguration(WebhooksOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<WebhookRejections>();
        builder.Services.AddSingleton<ReceivedEventWriter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ReceivedEventWriter>());
        builder.Services.AddSingleton<ConnectedAccountApps>();
        builder.Services.AddSingleton<StripeEventIngestor>();
        builder.Services.AddScoped<EventReplayer>();
        builder.Services.AddSingleton<StripeEventReconciler>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<StripeEventReconciler>());

        var app = builder.Build();
        app.UseServiceDefaults();
        app.MapDefaultEndpoints();
        app.MapStripeWebhooksApi();
        app.MapWebhookEventsApi();
        app.MapDeadLettersApi();
        return app;
    }
}
