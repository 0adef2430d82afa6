using Billing.Hosting;

namespace Billing.Benchmarks.Wallet;

/// <summary>
/// Postgres (durable, as in production), RabbitMQ and Redis of the benchmark's own, on loopback
/// ports in a temporary folder deleted afterwards, with the gateway's and the Orders service's
/// schemas and roles (for the wallet benchmark).
/// </summary>
public sealed class WalletBenchServers : IAsyncDisposable
{
    private readonly SecretStore _secrets = SecretStore.InMemory();
    private IReadOnlyDictionary<string, string> _databases = new Dictionary<string, string>();

    private WalletBenchServers()
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

    public static async Task<WalletBenchServers> StartAsync()
    {
        var servers = new WalletBenchServers();
        try
        {
            Directory.CreateDirectory(servers.Root);
            // The postgres user must reach its data folder below this one.
            File.SetUnixFileMode(servers.Root, (UnixFileMode)0b111_101_101);
            await Task.WhenAll(
                servers.Postgres.StartAsync(TimeSpan.FromSeconds(60)),
                servers.RabbitMq.StartAsync(TimeSpan.FromSeconds(90)),
                servers.Redis.StartAsync(TimeSpan.FromSeconds(30)));
            servers._databases = await DatabaseProvisioner.ProvisionAsync(servers.Postgres.ConnectionString, ["gateway", "orders"], servers._secrets);
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
