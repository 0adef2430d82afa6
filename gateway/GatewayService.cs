using Billing.Gateway.Apis;
using Billing.Gateway.Auth;
using Billing.Gateway.Errors;
using Billing.Gateway.Health;
using Billing.Gateway.Infrastructure;
using Billing.Gateway.PlatformBilling;
using Billing.Gateway.RateLimiting;
using Billing.Gateway.Routing;
using Billing.ServiceDefaults;
using Billing.ServiceDefaults.Data;
using Billing.ServiceDefaults.Idempotency;
using Billing.ServiceDefaults.Messaging;
using Billing.ServiceDefaults.Security;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Configuration;

namespace Billing.Gateway;

/// <summary>
/// The only public entry: authenticates every call (API keys, account tokens, the operator key),
/// keeps each app to its own data, answers 402 to developers who owe their platform subscription, rate-limits per key, routes each API path to the service that
/// owns it (YARP) with the caller's identity signed, and manages accounts, apps and keys; with
/// request ids, timeouts, health of the whole system and one API documentation page.
/// </summary>
public static class GatewayService
{
    public const string Name = "gateway";

    /// <summary>What <c>migrate</c> applies (Program.cs): the same scripts <c>AddServiceDatabase</c> registers.</summary>
    public static readonly ServiceMigrations Migrations = ServiceMigrations.For<GatewayDbContext>(Name);

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        // The gateway authenticates callers itself and signs the identity it forwards; it verifies none.
        builder.AddServiceDefaults(Name, requireCallerIdentity: false);
        builder.AddServiceDatabase<GatewayDbContext>(Name);
        // Which developers owe their platform subscription, learnt from Subscriptions' events (no call per request).
        builder.AddServiceBus<GatewayDbContext>(bus => bus.AddConsumer<PlatformSubscriptionConsumer>());
        builder.AddRateLimiting();
        builder.Services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<IdentitySigningOptions>().BindConfiguration(IdentityOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<CredentialStore>();
        builder.Services.AddSingleton<IdentityMinter>();

        // Checked now so that a missing address stops the gateway before it listens, naming the key;
        // service discovery resolves the destinations (http://catalog, ...) from the same keys.
        builder.Services.AddSingleton(ServiceDestinations.Read(builder.Configuration, ServiceNames.All));
        builder.Services.AddSingleton<GatewayProxyConfig>();
        builder.Services.AddSingleton<IProxyConfigProvider>(services => services.GetRequiredService<GatewayProxyConfig>());
        builder.Services.AddReverseProxy().AddTransforms<ForwardedIdentityTransform>().AddServiceDiscoveryDestinationResolver();
        // Every probe's answer (one per service each HealthCheckInterval) is an Information line: kept out of the logs.
        // A probe that gets no answer is still a warning, and a service answering 503 shows in the gateway's /health.
        builder.Logging.AddFilter("Yarp.ReverseProxy.Health.ActiveHealthCheckMonitor", LogLevel.Warning);
        builder.Services.AddRequestTimeouts();
        var health = builder.Services.AddHealthChecks();
        foreach (var service in ServiceNames.All)
            health.Add(new HealthCheckRegistration(service,
                services => new ServiceHealthCheck(service, services.GetRequiredService<IProxyStateLookup>()),
                failureStatus: null, tags: ["ready"]));

        var app = builder.Build();
        app.UseServiceDefaults();
        app.UseSwaggerUI(docs =>
        {
            docs.RoutePrefix = "docs";
            docs.DocumentTitle = "Billing API";
            docs.SwaggerEndpoint("/openapi/v1.json", Name);
            foreach (var service in ServiceNames.All) docs.SwaggerEndpoint(GatewayProxyConfig.OpenApiPath(service), service);
        });
        app.UseRouting();
        app.UseRequestTimeouts();
        // After routing, so they see which route a call is for, before it is proxied or served here.
        // Authentication also answers the past-due 402, so a blocked caller is not counted against its rate limit.
        app.UseMiddleware<GatewayAuthentication>();
        app.UseMiddleware<RateLimitMiddleware>();
        // Again here, now that the caller is known: it applies to the gateway's own endpoints only,
        // since only they get a CallerIdentity feature. Proxied POSTs are left to the owning service,
        // so none is executed or stored twice. (UseServiceDefaults' instance, before routing, never sees a caller here.)
        app.UseMiddleware<IdempotencyMiddleware>();
        app.MapDefaultEndpoints();
        app.MapAccountsApi();
        app.MapAppsApi();
        app.MapKeysApi();
        app.MapAuditLogApi();
        var proxyConfig = app.Services.GetRequiredService<GatewayProxyConfig>();
        app.MapReverseProxy(proxy =>
        {
            proxy.UseMiddleware<ProxyErrorProblems>();
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        }).ConfigureEndpoints((endpoint, route) => endpoint.WithMetadata(proxyConfig.Access[route.RouteId]));
        return app;
    }
}
