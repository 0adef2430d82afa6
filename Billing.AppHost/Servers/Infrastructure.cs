using Aspire.Hosting.ApplicationModel;
using Billing.AppHost.Secrets;
using Billing.Hosting;
using Microsoft.Extensions.Configuration;

namespace Billing.AppHost.Servers;

/// <summary>Postgres, RabbitMQ and Redis as resources named <c>postgres</c>, <c>rabbitmq</c>, <c>redis</c>, and the admin connection string provisioning starts from.</summary>
public sealed record Infrastructure(
    IResourceBuilder<IResourceWithConnectionString> Postgres,
    IResourceBuilder<IResourceWithConnectionString> RabbitMq,
    IResourceBuilder<IResourceWithConnectionString> Redis,
    string PostgresAdmin)
{
    /// <summary>Servers run as executables with their data under the data folder; passwords from the secrets file.</summary>
    public static async Task<Infrastructure> LocalAsync(IDistributedApplicationBuilder builder, string dataDirectory, SecretParameters secrets)
    {
        var postgresPassword = secrets.Get("postgres-password", "postgres");
        var rabbitmqPassword = secrets.Get("rabbitmq-password", "rabbitmq");
        var redisPassword = secrets.Get("redis-password", "redis");
        var postgres = new PostgresServer(Path.Combine(dataDirectory, "postgres"), FreePort.Next(), postgresPassword.Value);
        var rabbitmq = new RabbitMqServer(Path.Combine(dataDirectory, "rabbitmq"), FreePort.Next(), "billing", rabbitmqPassword.Value);
        var redis = new RedisServer(Path.Combine(dataDirectory, "redis"), FreePort.Next(), redisPassword.Value);
        return new Infrastructure(
            AsConnectionString(builder, await builder.AddServerAsync(postgres, postgresPassword)),
            AsConnectionString(builder, await builder.AddServerAsync(rabbitmq, rabbitmqPassword)),
            AsConnectionString(builder, await builder.AddServerAsync(redis, redisPassword)),
            postgres.ConnectionString);
    }

    /// <summary>
    /// <c>--external</c>: servers someone else runs, named by <c>ConnectionStrings__postgres</c>,
    /// <c>ConnectionStrings__rabbitmq</c> and <c>ConnectionStrings__redis</c>; probed, never started.
    /// </summary>
    public static Infrastructure External(IDistributedApplicationBuilder builder)
    {
        string Required(string name) => builder.Configuration.GetConnectionString(name) is { Length: > 0 } value
            ? value
            : throw new ArgumentException($"--external needs the environment variable ConnectionStrings__{name}.");
        var admin = Required("postgres");
        var amqp = Uri.TryCreate(Required("rabbitmq"), UriKind.Absolute, out var uri) && uri.Scheme is "amqp" or "amqps"
            ? uri : throw new ArgumentException("ConnectionStrings__rabbitmq must be an amqp:// URI.");
        var (redisHost, redisPort, redisPassword) = ParseRedis(Required("redis"));
        return new Infrastructure(
            builder.AddExternalServer("postgres", ct => HealthProbes.PostgresAsync(admin, ct)),
            builder.AddExternalServer("rabbitmq", ct => HealthProbes.AmqpAsync(amqp.Host, amqp.Port > 0 ? amqp.Port : 5672, ct)),
            builder.AddExternalServer("redis", ct => HealthProbes.RedisAsync(redisHost, redisPort, redisPassword, ct)),
            admin);
    }

    private static IResourceBuilder<IResourceWithConnectionString> AsConnectionString(IDistributedApplicationBuilder builder, IResourceBuilder<ServerResource> server) =>
        builder.CreateResourceBuilder<IResourceWithConnectionString>(server.Resource);

    /// <summary><c>host[:port][,password=...][,other=...]</c>, the StackExchange.Redis form Aspire uses.</summary>
    private static (string Host, int Port, string? Password) ParseRedis(string connection)
    {
        var parts = connection.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var hostPort = parts[0].Split(':');
        var port = hostPort.Length > 1 && int.TryParse(hostPort[1], out var p) ? p : 6379;
        var password = parts.Skip(1).Select(o => o.Split('=', 2)).FirstOrDefault(kv => kv[0] == "password" && kv.Length == 2)?[1];
        return (hostPort[0], port, password);
    }
}
