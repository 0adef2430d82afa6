using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Billing.ServiceDefaults.Telemetry;

/// <summary>
/// Traces, metrics and logs over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
/// OpenTelemetry.Extensions.Hosting and the instrumentation packages are not in the registry here,
/// so this wires the SDK by hand and listens to the sources the frameworks emit themselves.
/// </summary>
public static class TelemetryExtensions
{
    /// <summary>Activity sources: ASP.NET Core, HttpClient, Npgsql, MassTransit, ours.</summary>
    public static readonly string[] Sources = ["Microsoft.AspNetCore", "System.Net.Http", "Npgsql", "MassTransit", BillingTelemetry.Name];

    /// <summary>Meters of the same components.</summary>
    public static readonly string[] Meters =
    [
        "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http",
        "Npgsql", "MassTransit", BillingTelemetry.Name,
    ];

    public static IHostApplicationBuilder AddTelemetry(this IHostApplicationBuilder builder, string serviceName)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])) return builder;

        // The exporter reads OTEL_EXPORTER_OTLP_ENDPOINT / _PROTOCOL / _HEADERS from the environment itself.
        var resource = ResourceBuilder.CreateDefault().AddService(serviceName);
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.SetResourceBuilder(resource);
            logging.IncludeScopes = true;
            logging.IncludeFormattedMessage = true;
            logging.AddOtlpExporter();
        });
        builder.Services.AddSingleton(_ => Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource).AddSource(Sources).AddOtlpExporter().Build());
        builder.Services.AddSingleton(_ => Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource).AddMeter(Meters).AddOtlpExporter().Build());
        builder.Services.AddHostedService<TelemetryStarter>();
        return builder;
    }

    /// <summary>Creates the providers at start so they listen from the first request; the container disposes (flushes) them.</summary>
    private sealed class TelemetryStarter(TracerProvider tracing, MeterProvider metrics) : IHostedService
    {
        public Task StartAsync(CancellationToken ct) => Task.CompletedTask;

        public Task StopAsync(CancellationToken ct)
        {
            tracing.ForceFlush(2000);
            metrics.ForceFlush(2000);
            return Task.CompletedTask;
        }
    }
}
