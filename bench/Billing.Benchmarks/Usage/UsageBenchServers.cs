using Billing.Hosting;

namespace Billing.Benchmarks.Usage;

/// <summary>
/// Postgres and Redis of the benchmark's own, on loopback ports in a temporary folder deleted
/// afterwards, with the gateway's and Usage's schemas and roles.
/// </summary>
public sealed class UsageBenchServers : IAsyncDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "billing-bench-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly SecretStore _secrets = SecretStore.InMemory();
    private IReadOnlyDictionary<string, string> _databases = new Dictionary<string, string>();

    private UsageBenchServers()
    {
        Postgres = new PostgresServer(Path.Combine(_root, "postgres"), FreePort.Next(), _secrets.Get("postgres"), durable: false);
        Redis = new RedisServer(Path.Combine(_root, "redis"), FreePort.Next(), _secrets.Get("redis"), durable: false);
    }

    public PostgresServer Postgres { get; }
    public RedisServer Redis { get; }

    public string Database(string schema) => _databases[schema];

    public static async Task<UsageBenchServers> StartAsync()
    {
        var servers = new UsageBenchServers();
        try
        {
            Directory.CreateDirectory(servers._root);
            // The postgres user must reach its data folder below this one.
            File.SetUnixFileMode(servers._root, (UnixFileMode)0b111_101_101);
            await Task.WhenAll(servers.Postgres.StartAsync(TimeSpan.FromSeconds(60)), servers.Redis.StartAsync(TimeSpan.FromSeconds(30)));
            servers._databases = await DatabaseProvisioner.ProvisionAsync(servers.Postgres.ConnectionString, ["gateway", "usage"], servers._secrets);
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
        await Task.WhenAll(Postgres.StopAsync(), Redis.StopAsync());
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
