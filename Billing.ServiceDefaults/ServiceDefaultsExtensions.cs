using System.Text.Json;
using Billing.ServiceDefaults.Errors;
using Billing.ServiceDefaults.Http;
using Billing.ServiceDefaults.Idempotency;
using Billing.ServiceDefaults.Security;
using Billing.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Billing.ServiceDefaults;

/// <summary>What every service and the gateway share, in two calls: one on the builder, one on the app.</summary>
public static class ServiceDefaultsExtensions
{
    internal const string HealthEndpointPath = "/health";
    internal const string AlivenessEndpointPath = "/alive";

    /// <param name="requireCallerIdentity">
    /// Services verify the identity the gateway forwards on every non-public endpoint; only the
    /// gateway itself, which authenticates API keys, passes false.
    /// </param>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder, string serviceName, bool requireCallerIdentity = true)
        where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry(serviceName);
        builder.AddRequestBodyLimit();
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), tags: ["live"]);
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            // Retries (429, 5xx, network errors), attempt and total timeouts, a circuit breaker.
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });
        builder.Services.ConfigureHttpJsonOptions(options => JsonDefaults.Configure(options.SerializerOptions));
        builder.Services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            var status = problem.Status ?? context.HttpContext.Response.StatusCode;
            problem.Extensions.TryAdd("code", ErrorCodes.ForStatus(status));
            problem.Extensions["requestId"] = context.HttpContext.TraceIdentifier;
            problem.Extensions.Remove("traceId");
        });
        builder.Services.AddOpenApi();
        builder.Services.AddSingleton(TimeProvider.System);
        if (requireCallerIdentity)
        {
            builder.Services.AddOptions<IdentityOptions>().BindConfiguration(IdentityOptions.Section).ValidateDataAnnotations().ValidateOnStart();
            builder.Services.AddSingleton<IdentityVerifier>();
        }
        return builder;
    }

    /// <summary>Request ids, the one exception handler, problem bodies for bare statuses, the body limit, no NUL in the query, caller identity, Idempotency-Key.</summary>
    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        app.UseMiddleware<RequestIdMiddleware>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRequestBodyLimit();
        app.UseNulFreeQuery();
        if (app.Services.GetService<IdentityVerifier>() is not null) app.UseMiddleware<CallerIdentityMiddleware>();
        if (app.Services.GetService<IdempotencyStore>() is not null) app.UseMiddleware<IdempotencyMiddleware>();
        return app;
    }

    /// <summary><c>/health</c> (ready: every real dependency), <c>/alive</c> (the process answers), the OpenAPI document.</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthEndpointPath, new HealthCheckOptions { ResponseWriter = WriteHealth }).IsPublic();
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions { Predicate = check => check.Tags.Contains("live"), ResponseWriter = WriteHealth }).IsPublic();
        app.MapOpenApi().IsPublic();
        return app;
    }

    private static Task WriteHealth(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        }, JsonDefaults.Options));
    }
}
