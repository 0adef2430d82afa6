using Billing.Hosting;

namespace Billing.Benchmarks.Infrastructure;

/// <summary>
/// Postgres (durable as in production, unless asked otherwise) and RabbitMQ of the benchmark's own, on loopback ports,
/// in a temporary folder that is deleted afterwards; with one schema and role provisioned.
/// </summary>
public sealed class BenchServers : IAsyncDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "billing-bench-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly SecretStore _secrets = SecretStore.InMemory();

    private BenchServers(bool durable)
    {
        Postgres = new PostgresServer(Path.Combine(_root, "postgres"), FreePort.Next(), _secrets.Get("postgres"), durable);
        RabbitMq = new RabbitMqServer(Path.Combine(_root, "rabbitmq"), FreePort.Next(), "bench", _secrets.Get("rabbitmq"),
            nodeName: "billing-bench-" + Guid.NewGuid().ToString("N")[..8]);
    }

    public PostgresServer Postgres { get; }
    public RabbitMqServer RabbitMq { get; }
    public string Database { get; private set; } = "";

    public static async Task<BenchServers> StartAsync(string schema, bool durable)
    {
        var servers = new BenchServers(durable);
        try
        {
            Directory.CreateDirectory(servers._root);
            // The postgres user must reach its data folder below this one.
            File.SetUnixFileMode(servers._root, (UnixFileMode)0b111_101_101);
            await Task.WhenAll(servers.Postgres.StartAsync(TimeSpan.FromSeconds(60)), servers.RabbitMq.StartAsync(TimeSpan.FromSeconds(90)));
            var databases = await DatabaseProvisioner.ProvisionAsync(servers.Postgres.ConnectionString, [schema], servers._secrets);
            servers.Database = databases[schema];
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
        await Task.WhenAll(Postgres.StopAsync(), RabbitMq.StopAsync());
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
