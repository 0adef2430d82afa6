using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Billing.ServiceDefaults.Redis;

public static class RedisExtensions
{
    /// <summary>
    /// Redis from <c>ConnectionStrings:{connectionName}</c> (environment <c>ConnectionStrings__redis</c>):
    /// <see cref="IRedis"/> as a singleton (one multiplexed connection per process) and a <c>redis</c>
    /// check tagged <c>ready</c> on <c>/health</c>. A missing or malformed connection string stops the
    /// service at start with a message naming it; an unreachable server does not, the client connects lazily.
    /// </summary>
    public static TBuilder AddRedis<TBuilder>(this TBuilder builder, string connectionName = "redis")
        where TBuilder : IHostApplicationBuilder
    {
        var connectionString = builder.Configuration.GetConnectionString(connectionName);
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new InvalidOperationException(
                $"Missing configuration ConnectionStrings:{connectionName} (environment variable ConnectionStrings__{connectionName}).");
        RedisOptions options;
        try
        {
            options = RedisOptions.Parse(connectionString);
        }
        catch (FormatException e)
        {
            throw new InvalidOperationException($"Invalid configuration ConnectionStrings:{connectionName}: {e.Message}", e);
        }

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<IRedis>(services =>
            new RedisClient(options, services.GetService<ILogger<RedisClient>>()));
        builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", tags: ["ready"]);
        return builder;
    }
}
