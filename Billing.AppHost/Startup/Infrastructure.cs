using Billing.AppHost.Logging;
using Billing.AppHost.Resources;
using Billing.Hosting;
using Npgsql;

namespace Billing.AppHost.Startup;

/// <summary>Postgres, RabbitMQ and Redis as resources, with the connection strings the services get.</summary>
public sealed record Infrastructure(
    Resource Postgres, Resource RabbitMq, Resource Redis,
    string PostgresAdmin, string RabbitMqConnection, string RedisConnection)
{
    public IReadOnlyList<Resource> All => [Postgres, RabbitMq, Redis];

    /// <summary>Servers run as children with their data under the data folder; passwords from the secrets file.</summary>
    public static Infrastructure Local(AppHostOptions options, SecretStore secrets, ConsoleSink console, PortAllocator ports)
    {
        var data = options.DataDirectory;
        var postgres = new PostgresServer(Path.Combine(data, "postgres"), ports.Next(), secrets.Get("postgres"));
        var rabbitmq = new RabbitMqServer(Path.Combine(data, "rabbitmq"), ports.Next(), "billing", secrets.Get("rabbitmq"));
        var redis = new RedisServer(Path.Combine(data, "redis"), ports.Next(), secrets.Get("redis"));
        return new Infrastructure(
            new ServerResource(postgres, ResourceKind.Database, "postgresql", "select 1", new ResourceLog("postgres", console))
            {
                // initdb on a first run comes before the server answers.
                StartTimeout = TimeSpan.FromSeconds(90),
            },
            new ServerResource(rabbitmq, ResourceKind.Broker, "amqp", "AMQP handshake", new ResourceLog("rabbitmq", console))
            {
                StartTimeout = TimeSpan.FromSeconds(90),
            },
            new ServerResource(redis, ResourceKind.Cache, "redis", "PING", new ResourceLog("redis", console)),
            postgres.ConnectionString, rabbitmq.ConnectionString, redis.ConnectionString);
    }

    /// <summary>Servers someone else runs (<c>--external</c>): probed, never started or stopped.</summary>
    public static Infrastructure External(AppHostOptions options, ConsoleSink console)
    {
        var admin = options.PostgresConnection!;
        var pg = Parse(() => new NpgsqlConnectionStringBuilder(admin), "--postgres");
        var amqp = Parse(() => new Uri(options.RabbitMqConnection!), "--rabbitmq");
        if (amqp.Scheme is not ("amqp" or "amqps")) throw new ArgumentException("--rabbitmq must be an amqp:// URI.");
        var amqpPort = amqp.Port > 0 ? amqp.Port : 5672;
        var (redisHost, redisPort, redisPassword) = ParseRedis(options.RedisConnection!);
        var timeout = TimeSpan.FromSeconds(15);

        return new Infrastructure(
            new ExternalServerResource("postgres", ResourceKind.Database, new("postgresql", $"postgresql://{pg.Host}:{pg.Port}"),
                "select 1", "--postgres", ct => HealthProbes.PostgresAsync(admin, ct), new ResourceLog("postgres", console))
            { StartTimeout = timeout },
            new ExternalServerResource("rabbitmq", ResourceKind.Broker, new("amqp", $"amqp://{amqp.Host}:{amqpPort}"),
                "AMQP handshake", "--rabbitmq", ct => HealthProbes.AmqpAsync(amqp.Host, amqpPort, ct), new ResourceLog("rabbitmq", console))
            { StartTimeout = timeout },
            new ExternalServerResource("redis", ResourceKind.Cache, new("redis", $"redis://{redisHost}:{redisPort}"),
                "PING", "--redis", ct => HealthProbes.RedisAsync(redisHost, redisPort, redisPassword, ct), new ResourceLog("redis", console))
            { StartTimeout = timeout },
            admin, options.RabbitMqConnection!, options.RedisConnection!);
    }

    /// <summary><c>host[:port][,password=...][,other=...]</c>, the StackExchange.Redis form Aspire uses.</summary>
    public static (string Host, int Port, string? Password) ParseRedis(string connection)
    {
        var parts = connection.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) throw new ArgumentException("--redis must look like host:port,password=...");
        var hostPort = parts[0].Split(':');
        var port = hostPort.Length > 1 && int.TryParse(hostPort[1], out var p) ? p : 6379;
        var password = parts.Skip(1).Select(o => o.Split('=', 2)).FirstOrDefault(kv => kv[0] == "password" && kv.Length == 2)?[1];
        return (hostPort[0], port, password);
    }

    private static T Parse<T>(Func<T> parse, string option)
    {
        try { return parse(); }
        catch (Exception e) when (e is ArgumentException or FormatException or UriFormatException)
        {
            throw new ArgumentException($"{option} is not a valid connection string: {e.Message}");
        }
    }
}
