using Billing.Hosting;

namespace Billing.Tests.Infrastructure;

/// <summary>
/// Real Postgres, RabbitMQ and Redis, started once per test run on free ports in a temporary
/// folder with the AppHost's own launchers, and the same per-service schemas and roles.
/// </summary>
public sealed class InfrastructureFixture : IAsyncLifetime
{
    /// <summary>Every schema the system has; each gets its own role, as under the AppHost.</summary>
    public static readonly string[] Schemas = ["gateway", "catalog", "subscriptions", "orders", "connect", "usage", "webhooks"];

    private readonly string _root = Path.Combine(Path.GetTempPath(), "billing-tests-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly SecretStore _secrets = SecretStore.InMemory();
    private IReadOnlyDictionary<string, string> _databases = new Dictionary<string, string>();

    public PostgresServer Postgres { get; private set; } = null!;
    public RabbitMqServer RabbitMq { get; private set; } = null!;
    public RedisServer Redis { get; private set; } = null!;

    /// <summary>The connection string of a service's own role, e.g. <c>Database("catalog")</c>.</summary>
    public string Database(string schema) => _databases[schema];

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        // The postgres user must reach its data folder below this one.
        File.SetUnixFileMode(_root, (UnixFileMode)0b111_101_101);
        Postgres = new PostgresServer(Path.Combine(_root, "postgres"), FreePort.Next(), _secrets.Get("postgres"), durable: false);
        RabbitMq = new RabbitMqServer(Path.Combine(_root, "rabbitmq"), FreePort.Next(), "billing", _secrets.Get("rabbitmq"),
            nodeName: "billing-test-" + Guid.NewGuid().ToString("N")[..8]);
        Redis = new RedisServer(Path.Combine(_root, "redis"), FreePort.Next(), _secrets.Get("redis"), durable: false);
        foreach (var server in new ManagedServer[] { Postgres, RabbitMq, Redis })
            server.Log = line => Console.WriteLine($"[{server.Name}] {line}");

        await Task.WhenAll(
            Postgres.StartAsync(TimeSpan.FromSeconds(60)),
            RabbitMq.StartAsync(TimeSpan.FromSeconds(90)),
            Redis.StartAsync(TimeSpan.FromSeconds(30)));
        _databases = await DatabaseProvisioner.ProvisionAsync(Postgres.ConnectionString, Schemas, _secrets);
    }

    public async Task DisposeAsync()
    {
        await Task.WhenAll(Postgres.StopAsync(), RabbitMq.StopAsync(), Redis.StopAsync());
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>Tests that need the real servers share one set of them and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class InfrastructureCollection : ICollectionFixture<InfrastructureFixture>
{
    public const string Name = "infrastructure";
}
