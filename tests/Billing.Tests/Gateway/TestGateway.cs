using System.Net.Http.Json;
using System.Text.Json;
using System.Net.Http.Headers;
using Billing.Gateway;
using Billing.ServiceDefaults.Data;
using Billing.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Tests.Gateway;

/// <summary>
/// The gateway hosted over real HTTP on 127.0.0.1, configured as the AppHost configures it:
/// <c>services:{name}:http:{i}</c> per destination, its own schema on the real Postgres (migrated
/// first), the real Redis and RabbitMQ, the test run's identity signing key and an operator key, and frequent
/// health probes so tests see changes fast (with the default probe timeout: a loaded test machine
/// can be slow to answer). Gateways started on the same fixture share accounts, apps and keys,
/// like replicas.
/// </summary>
public sealed class TestGateway : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestGateway(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Client = new HttpClient { BaseAddress = address };
    }

    public Uri Address { get; }

    /// <summary>A client with no credentials.</summary>
    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>The operator key every test gateway is configured with.</summary>
    public const string OperatorKey = "bop_test_operator_key_0123456789abcdef0123456789";

    /// <summary>A client sending <c>Authorization: Bearer {secret}</c>.</summary>
    public HttpClient ClientWith(string secret)
    {
        var client = new HttpClient { BaseAddress = Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return client;
    }

    public static string[] Arguments(IReadOnlyDictionary<string, Uri[]> destinations, IDictionary<string, string?>? settings = null)
    {
        var configuration = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
            // YARP logs every refused connection as a warning; the tests provoke them on purpose.
            ["Logging:LogLevel:Yarp"] = "Error",
            ["Gateway:HealthCheckInterval"] = "00:00:00.5",
            ["Gateway:OperatorKey"] = OperatorKey,
            ["Identity:SigningKey"] = TestIdentity.SigningKeyBase64,
            // Placeholders for tests that only build the gateway; StartAsync points them at the real servers.
            ["ConnectionStrings:gatewaydb"] = "Host=127.0.0.1;Port=1;Username=gateway;Database=billing",
            ["ConnectionStrings:redis"] = "127.0.0.1:1",
            ["ConnectionStrings:rabbitmq"] = "amqp://guest:guest@127.0.0.1:1/",
            // A gateway stopped while its bus is still starting could leave its consumer attached to the shared queue.
            ["Messaging:WaitUntilBusStarted"] = "true",
        };
        foreach (var (service, addresses) in destinations)
            for (var i = 0; i < addresses.Length; i++) configuration[$"services:{service}:http:{i}"] = addresses[i].ToString();
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) configuration[key] = value;
        return configuration.Select(kv => $"--{kv.Key}={kv.Value}").ToArray();
    }

    public static async Task<TestGateway> StartAsync(
        InfrastructureFixture infrastructure, IReadOnlyDictionary<string, Uri[]> destinations, IDictionary<string, string?>? settings = null)
    {
        var configuration = new Dictionary<string, string?>
        {
            ["ConnectionStrings:gatewaydb"] = infrastructure.Database("gateway"),
            ["ConnectionStrings:redis"] = infrastructure.Redis.ConnectionString,
            ["ConnectionStrings:rabbitmq"] = infrastructure.RabbitMq.ConnectionString,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) configuration[key] = value;
        var app = GatewayService.Build(Arguments(destinations, configuration));
        await app.Services.GetRequiredService<SqlMigrator>().MigrateAsync();
        await app.StartAsync();
        return new TestGateway(app, app.ListeningAddress());
    }

    /// <summary>Polls the system <c>/health</c> until it satisfies the condition; returns the last answer.</summary>
    public async Task<(int Status, JsonElement Body)> WaitForHealthAsync(Func<int, JsonElement, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            using var response = await Client.GetAsync("/health");
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            if (condition((int)response.StatusCode, body) || DateTime.UtcNow > deadline) return ((int)response.StatusCode, body);
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
