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
    /// <summary>Where the sandbox listens when no <c>--urls</c> / <c>ASPNETCORE_URLS</c> is given.</summary>
    public const string DefaultUrl = "http://127.0.0.1:12111";

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        // Without an address of its own, listen where stripe-mock does, so `dotnet run` is enough.
        if (string.IsNullOrEmpty(builder.Configuration["urls"])) builder.WebHost.UseUrls(DefaultUrl);
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
        app.Use(StripeStyleNotFound);

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
        app.MapInvoicePage();
        app.MapDeliveriesPage();
        // Unknown API paths answer like Stripe, not with an empty 404.
        app.MapFallback("/v1/{**path}", (HttpContext ctx) => Results.Json(UnrecognizedUrl(ctx), statusCode: 404));
        return app;
    }

    static System.Text.Json.Nodes.JsonObject UnrecognizedUrl(HttpContext ctx) =>
        new StripeException(404, "invalid_request_error", $"Unrecognized request URL ({ctx.Request.Method}: {ctx.Request.Path}).").ToJson();

    /// <summary>A known path with the wrong method is Stripe's "unrecognized URL" 404, not an empty 405.</summary>
    static async Task StripeStyleNotFound(HttpContext ctx, Func<Task> next)
    {
        if (ctx.Request.Path.StartsWithSegments("/v1")) ctx.Response.Headers["Request-Id"] = Ids.New("req_", 14);
        await next();
        if (ctx.Response.StatusCode == 405 && !ctx.Response.HasStarted && ctx.Request.Path.StartsWithSegments("/v1"))
        {
            ctx.Response.StatusCode = 404;
            await ctx.Response.WriteAsJsonAsync(UnrecognizedUrl(ctx));
        }
    }

    static void Validate(SandboxOptions options)
    {
        if (options.SweepInterval <= TimeSpan.Zero)
            throw new InvalidOperationException("Sandbox:SweepInterval must be positive.");
        if (options.Delivery.InitialBackoff < TimeSpan.Zero || options.Delivery.Timeout <= TimeSpan.Zero)
            throw new InvalidOperationException("Sandbox:Delivery:InitialBackoff must not be negative and Sandbox:Delivery:Timeout must be positive.");
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
