using System.Net;
using Billing.Hosting;
using Billing.Tests.Gateway;
using Billing.Tests.Infrastructure;
using Billing.Webhooks;

namespace Billing.Tests.Webhooks;

/// <summary>
/// Postgres down means "not stored", so Stripe must hear a retryable 503. On its own Postgres:
/// every other test shares the fixture's.
/// </summary>
[Collection(InfrastructureCollection.Name)]
public sealed class PostgresOutageTests(InfrastructureFixture infrastructure) : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "billing-webhooks-pg-" + Guid.NewGuid().ToString("N")[..12]);
    private PostgresServer _postgres = null!;
    private string _database = "";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        // The postgres user must reach its data folder below this one.
        File.SetUnixFileMode(_root, (UnixFileMode)0b111_101_101);
        var secrets = SecretStore.InMemory();
        _postgres = new PostgresServer(Path.Combine(_root, "postgres"), FreePort.Next(), secrets.Get("postgres"), durable: false);
        await _postgres.StartAsync(TimeSpan.FromSeconds(60));
        _database = (await DatabaseProvisioner.ProvisionAsync(_postgres.ConnectionString, [WebhooksService.Name], secrets))[WebhooksService.Name];
    }

    public async Task DisposeAsync()
    {
        await _postgres.StopAsync();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [Fact]
    public async Task While_Postgres_is_down_deliveries_get_503_and_Stripe_style_retries_succeed_once_it_is_back()
    {
        var settings = WebhooksTestHost.Settings();
        settings["ConnectionStrings:webhooksdb"] = _database;
        await using var probe = await StripeEventProbe.StartAsync(infrastructure);
        await using var webhooks = await WebhooksTestHost.StartAsync(infrastructure, settings);
        var app = TestApps.NewAppId();
        var bodies = Enumerable.Range(0, 5).Select(_ => TestStripeEvents.InvoicePaid(app)).ToList();
        var eventIds = bodies.Select(b => System.Text.Json.JsonDocument.Parse(b).RootElement.GetProperty("id").GetString()!).ToList();

        await _postgres.StopAsync();
        try
        {
            foreach (var body in bodies)
            {
                using var refused = await webhooks.Client.SendAsync(WebhooksTestHost.Signed("/webhooks/stripe", body));
                await ProblemAssert.IsProblem(refused, 503, "unavailable");
            }
        }
        finally
        {
            await _postgres.StartAsync(TimeSpan.FromSeconds(60));
        }

        // Stripe retries each delivery with a fresh signature; the pool reconnects on its own.
        foreach (var body in bodies)
        {
            using var retried = await webhooks.Client.SendAsync(WebhooksTestHost.Signed("/webhooks/stripe", body));
            Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        }
        foreach (var eventId in eventIds) Assert.Equal(1, await WebhookRows.StoredAsync(_database, eventId));
        var published = await probe.WaitForAsync(e => eventIds.Contains(e.Origin.StripeEventId), eventIds.Count);
        Assert.Equal(eventIds.Order(), published.Select(p => p.Message.Origin.StripeEventId).Order());
    }
}
