using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Billing.ServiceDefaults.Telemetry;

/// <summary>
/// OpenTelemetry as Aspire's ServiceDefaults template sets it up (ASP.NET Core, HttpClient and
/// runtime instrumentation, exported over OTLP), plus MassTransit's
/// and our own sources and meters, when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. Npgsql's come with the
/// data source (<c>AddServiceDatabase</c>), Redis's with the gateway's Redis client, under the same condition.
/// </summary>
public static class OpenTelemetryExtensions
{
    /// <summary>The name of MassTransit's ActivitySource and of its Meter.</summary>
    public const string MassTransitSource = "MassTransit";

    /// <summary>True when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> names where telemetry goes (the AppHost sets it to its dashboard).</summary>
    public static bool IsExporting(this IHostApplicationBuilder builder) =>
        !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder, string serviceName)
        where TBuilder : IHostApplicationBuilder
    {
        // Without an exporter nothing would read the spans and metrics, yet every request, query and
        // message would still pay for recording them (the outbox benchmark measured ~1.7x the CPU per
        // message with them recorded and dropped). Aspire's template records them regardless; we do not.
        if (!builder.IsExporting()) return builder;

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource =>
            {
                // The AppHost names each resource through OTEL_SERVICE_NAME (and its instance through
                // OTEL_RESOURCE_ATTRIBUTES), which the SDK reads itself: the dashboard matches telemetry
                // to resources by them. Elsewhere (tests, a bare `dotnet run`) the service names itself.
                if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_SERVICE_NAME"])) resource.AddService(serviceName);
            })
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(MassTransitSource, BillingTelemetry.Name))
            .WithTracing(tracing => tracing
                .AddSource(MassTransitSource, BillingTelemetry.Name)
                // Probes every few seconds from the AppHost and the gateway would bury the requests worth reading.
                .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context => !IsHealthProbe(context.Request.Path))
                .AddHttpClientInstrumentation());

        // The exporter reads the endpoint, protocol and headers (OTEL_EXPORTER_OTLP_*) from configuration itself.
        builder.Services.AddOpenTelemetry().UseOtlpExporter();

        return builder;
    }

    private static bool IsHealthProbe(PathString path) =>
        path.StartsWithSegments(ServiceDefaultsExtensions.HealthEndpointPath)
        || path.StartsWithSegments(ServiceDefaultsExtensions.AlivenessEndpointPath);
}
