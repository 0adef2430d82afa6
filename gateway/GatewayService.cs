using Billing.Gateway.Errors;
using Billing.Gateway.Health;
using Billing.Gateway.Routing;
using Billing.ServiceDefaults;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Configuration;

namespace Billing.Gateway;

/// <summary>
/// The only public entry: routes each API path to the service that owns it (YARP), with request
/// ids, timeouts, health of the whole system and one API documentation page.
/// </summary>
public static class GatewayService
{
    public const string Name = "gateway";

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        // The gateway authenticates callers itself and signs the identity it forwards; it verifies none.
        builder.AddServiceDefaults(Name, requireCallerIdentity: false);
        builder.Services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();

        // Read now so that a missing address stops the gateway before it listens, naming the key.
        builder.Services.AddSingleton(ServiceDestinations.Read(builder.Configuration, ServiceNames.All));
        builder.Services.AddSingleton<IProxyConfigProvider, GatewayProxyConfig>();
        builder.Services.AddReverseProxy();
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
            foreach (var service in ServiceNames.All) docs.SwaggerEndpoint(GatewayProxyConfig.OpenApiPath(service), service);
        });
        app.UseRouting();
        app.UseRequestTimeouts();
        // Authentication, tenant isolation, rate limits and the past-due 402 (next issue) go here:
        // after routing, so they see which route and service a call is for, before it is proxied.
        app.MapDefaultEndpoints();
        app.MapReverseProxy(proxy =>
        {
            proxy.UseMiddleware<ProxyErrorProblems>();
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });
        return app;
    }
}
