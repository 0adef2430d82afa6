using System.Net;
using System.Net.Http.Json;
using Billing.Catalog;
using Billing.ServiceDefaults.Telemetry;
using Billing.Tests.Infrastructure;
using Billing.Tests.Messaging;

namespace Billing.Tests.ServiceDefaults;

/// <summary>Postgres and RabbitMQ traffic of a service reaches the exporter through Npgsql's and MassTransit's instrumentation.</summary>
[Collection(InfrastructureCollection.Name)]
public sealed class DependencyTelemetryTests(InfrastructureFixture infrastructure) : IAsyncLifetime
{
    private OtlpReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await OtlpReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    private Dictionary<string, string?> ExportSettings(IDictionary<string, string?>? settings = null) =>
        new(settings ?? new Dictionary<string, string?>())
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = _receiver.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        };

    [Fact]
    public async Task A_services_database_calls_are_exported_as_npgsql_traces_and_metrics()
    {
        var catalog = await TestService.StartAsync(CatalogService.Build, infrastructure, CatalogService.Name, ExportSettings(Billing.Tests.Catalog.CatalogTestHost.Settings()));
        var app = TestApps.NewAppId();

        var response = await catalog.ClientFor(app).GetAsync($"/v1/{app}/billing/plans");
        await catalog.DisposeAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(_receiver.Received("traces", CatalogService.Name, "Npgsql"), "no Npgsql span");
        Assert.True(_receiver.Received("metrics", CatalogService.Name, "Npgsql"), "no Npgsql metric");
    }

    [Fact]
    public async Task Messages_published_and_consumed_are_exported_as_masstransit_traces()
    {
        var received = new Received();
        var host = await TestService.StartAsync(args => MessagingTestHost.Build(args, received, new LogCapture()),
            infrastructure, MessagingTestHost.Schema, ExportSettings(MessagingTestHost.FastSettings));
        var app = TestApps.NewAppId();

        var response = await host.Client.PostAsJsonAsync($"/v1/{app}/ledger", new MessagingTestHost.LedgerRequest(500));
        var consumed = await received.WaitForAsync<LedgerEntryRecorded>(e => e.AppId == app, 1, TimeSpan.FromSeconds(20));
        await host.DisposeAsync();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Single(consumed);
        // Traces only: MassTransit creates its meter once per process, from the first host's IMeterFactory,
        // so in a test process where other hosts came and went its instruments are already disposed.
        Assert.True(_receiver.Received("traces", "messaging-tests", OpenTelemetryExtensions.MassTransitSource), "no MassTransit span");
    }
}
