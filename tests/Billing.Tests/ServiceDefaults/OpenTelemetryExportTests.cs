using System.Net;
using Billing.ServiceDefaults;
using Billing.ServiceDefaults.Security;
using Billing.ServiceDefaults.Telemetry;
using Billing.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Billing.Tests.ServiceDefaults;

/// <summary>
/// What AddServiceDefaults exports over OTLP (http/protobuf, to a receiver standing in for the
/// Aspire dashboard): each signal under the service's own name. The providers flush when the host
/// stops, so each test stops its host before looking.
/// </summary>
public sealed class OpenTelemetryExportTests : IAsyncLifetime
{
    private const string ServiceName = "otel-probe";
    private OtlpReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await OtlpReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    private Dictionary<string, string?> ExportSettings() => new()
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = _receiver.Endpoint,
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
    };

    [Fact]
    public async Task A_host_with_service_defaults_exports_traces_metrics_and_logs_under_its_own_name()
    {
        var probes = BillingTelemetry.Meter.CreateCounter<long>("billing.tests.otel_probe.calls");
        var (app, client) = await StartProbeAsync(web => web.MapGet("/probe", (ILogger<OpenTelemetryExportTests> logger) =>
        {
            probes.Add(1);
            logger.LogWarning("probe answered");
            return TypedResults.Ok();
        }).IsPublic());

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/probe")).StatusCode);
        await StopAsync(app, client);

        Assert.True(_receiver.Received("traces", ServiceName, "Microsoft.AspNetCore"), "no ASP.NET Core trace of the request");
        Assert.True(_receiver.Received("metrics", ServiceName, BillingTelemetry.Name), "no metric of our own meter");
        Assert.True(_receiver.Received("metrics", ServiceName, "System.Runtime"), "no runtime metrics");
        Assert.True(_receiver.Received("logs", ServiceName), "no log");
    }

    [Fact]
    public async Task Health_probes_are_not_traced()
    {
        var (app, client) = await StartProbeAsync(_ => { });

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/alive")).StatusCode);
        await StopAsync(app, client);

        Assert.True(_receiver.Received("metrics", ServiceName), "the host exported nothing at all: the test would prove nothing");
        // Server spans only: the test's own HttpClient calls are traced too, as any outgoing call of the process.
        Assert.False(_receiver.Received("traces", ServiceName, "Microsoft.AspNetCore"), "a health probe was traced");
    }

    private async Task<(WebApplication App, HttpClient Client)> StartProbeAsync(Action<WebApplication> map)
    {
        var settings = ExportSettings();
        settings["urls"] = "http://127.0.0.1:0";
        var builder = WebApplication.CreateBuilder(settings.Select(kv => $"--{kv.Key}={kv.Value}").ToArray());
        builder.AddServiceDefaults(ServiceName, requireCallerIdentity: false);
        var app = builder.Build();
        app.UseServiceDefaults();
        app.MapDefaultEndpoints();
        map(app);
        await app.StartAsync();
        return (app, new HttpClient { BaseAddress = app.ListeningAddress() });
    }

    private static async Task StopAsync(WebApplication app, HttpClient client)
    {
        client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
