using Billing.Hosting;

namespace Billing.Benchmarks.Infrastructure;

/// <summary>
/// Postgres (durable, as in production), RabbitMQ and Redis of the benchmark's own, on loopback
/// ports in a temporary folder deleted afterwards, with the given services' schemas and roles.
/// </summary>
public sealed class StackServers : IAsyncDisposable
{
    private readonly SecretStore _secrets = SecretStore.InMemory();
    private IReadOnlyDictionary<string, string> _databases = new Dictionary<string, string>();

    private StackServers()
    {
        Postgres = new PostgresServer(Path.Combine(Root, "postgres"), FreePort.Next(), _secrets.Get("postgres"), durable: true);
        RabbitMq = new RabbitMqServer(Path.Combine(Root, "rabbitmq"), FreePort.Next(), "bench", _secrets.Get("rabbitmq"),
            nodeName: "billing-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Redis = new RedisServer(Path.Combine(Root, "redis"), FreePort.Next(), _secrets.Get("redis"), durable: false);
    }

    public PostgresServer Postgres { get; }
    public RabbitMqServer RabbitMq { get; }
    public RedisServer Redis { get; }

    /// <summary>The folder that holds every server's data, on one disk; deleted on dispose.</summary>
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "billing-bench-" + Guid.NewGuid().ToString("N")[..12]);

    public string Database(string schema) => _databases[schema];

    public static async Task<StackServers> StartAsync(params string[] schemas)
    {
        var servers = new StackServers();
        try
        {
            Directory.CreateDirectory(servers.Root);
            // The postgres user must reach its data folder below this one.
            File.SetUnixFileMode(servers.Root, (UnixFileMode)0b111_101_101);
            await Task.WhenAll(
                servers.Postgres.StartAsync(TimeSpan.FromSeconds(60)),
                servers.RabbitMq.StartAsync(TimeSpan.FromSeconds(90)),
                servers.Redis.StartAsync(TimeSpan.FromSeconds(30)));
            servers._databases = await DatabaseProvisioner.ProvisionAsync(servers.Postgres.ConnectionString, schemas, servers._secrets);
            return servers;
        }
        catch
        {
            await servers.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(Postgres.StopAsync(), RabbitMq.StopAsync(), Redis.StopAsync());
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
