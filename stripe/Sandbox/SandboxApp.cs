using Billing.StripeSandbox.Apis;
using Billing.StripeSandbox.Flows;
using Billing.StripeSandbox.Pages;
using Billing.StripeSandbox.State;
using Billing.StripeSandbox.Webhooks;
using Billing.StripeSandbox.Wire;

namespace Billing.StripeSandbox;

/// <summary>
/// Builds the Stripe sandbox: a stateful, in-memory stand-in for the Stripe API with hosted pages
/// and webhook delivery. <c>Program.cs</c> runs it; tests host it on <c>http://127.0.0.1:0</c>.
/// </summary>
public static class SandboxApp
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http", LogLevel.Warning);

        var options = builder.Configuration.GetSection("Sandbox").Get<SandboxOptions>() ?? new SandboxOptions();
        Validate(options);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SandboxState>();
        builder.Services.AddSingleton<Idempotency>();
        builder.Services.AddSingleton<DeliveryLog>();
        builder.Services.AddSingleton<ChaosSwitch>();
        builder.Services.AddSingleton<WebhookDispatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
        builder.Services.AddHostedService<Sweeper>();

        var app = builder.Build();
        RegisterConfiguredEndpoints(app.Services, options);

        app.MapGet("/health", () => Results.Ok(new { status = "ok" }));
        app.MapCustomersApi();
        app.MapProductsApi();
        app.MapPricesApi();
        app.MapCheckoutApi();
        app.MapSubscriptionsApi();
        app.MapInvoicesApi();
        app.MapPortalApi();
        app.MapAccountsApi();
        app.MapPaymentsApi();
        app.MapEventsApi();
        app.MapWebhookEndpointsApi();
        app.MapTestClocksApi();
        app.MapMeterEventsApi();
        app.MapTestHelpersApi();
        app.MapCheckoutPage();
        app.MapPortalPage();
        app.MapOnboardingPage();
        app.MapDeliveriesPage();
        // Unknown API paths answer like Stripe, not with an empty 404.
        app.MapFallback("/v1/{**path}", (HttpContext ctx) => Results.Json(
            new StripeException(404, "invalid_request_error", $"Unrecognized request URL ({ctx.Request.Method}: {ctx.Request.Path}).").ToJson(),
            statusCode: 404));
        return app;
    }

    static void Validate(SandboxOptions options)
    {
        for (var i = 0; i < options.WebhookEndpoints.Count; i++)
        {
            var e = options.WebhookEndpoints[i];
            if (!Uri.TryCreate(e.Url, UriKind.Absolute, out _))
                throw new InvalidOperationException($"Sandbox:WebhookEndpoints:{i}:Url must be an absolute URL.");
            if (!e.Secret.StartsWith("whsec_", StringComparison.Ordinal))
                throw new InvalidOperationException($"Sandbox:WebhookEndpoints:{i}:Secret must start with whsec_.");
        }
    }

    static void RegisterConfiguredEndpoints(IServiceProvider services, SandboxOptions options)
    {
        var state = services.GetRequiredService<SandboxState>();
        _ = services.GetRequiredService<WebhookDispatcher>(); // subscribes to events before the first request
        lock (state.Gate)
            foreach (var e in options.WebhookEndpoints)
                WebhookEndpointsApi.Register(state, e.Url, e.Secret, e.Connect, e.EnabledEvents, "configured", state.RealNow);
    }
}
