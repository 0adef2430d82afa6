using Billing.ServiceDefaults.Telemetry;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Billing.Gateway.RateLimiting;

public static class RateLimitingExtensions
{
    /// <summary>Aspire's check name for the default Redis client.</summary>
    public const string RedisHealthCheck = "StackExchange.Redis";

    private const string ConnectionName = "redis";

    /// <summary>
    /// The limiter and the Redis it counts in: Aspire's StackExchange.Redis client from
    /// <c>ConnectionStrings:redis</c> (environment <c>ConnectionStrings__redis</c>), with its health check
    /// and tracing, connected while the gateway starts. A missing or malformed connection string stops
    /// the gateway, naming it; an unreachable server does not (the client keeps reconnecting).
    /// </summary>
    public static WebApplicationBuilder AddRateLimiting(this WebApplicationBuilder builder)
    {
        RequireConnectionString(builder.Configuration);
        builder.AddRedisClient(ConnectionName,
            settings =>
            {
                settings.DisableAutoActivation = false;
                // Redis spans only when telemetry is exported, as for everything else (ServiceDefaults).
                settings.DisableTracing = !builder.IsExporting();
            },
            // Without a connection, fail at once (RedisConnectionException) rather than queue the
            // request's count until a reconnect or a timeout: the limiter then lets it through.
            redis => redis.BacklogPolicy = BacklogPolicy.FailFast);
        // The limiter fails open: without Redis the gateway still serves, so it is degraded, not down.
        builder.Services.Configure<HealthCheckServiceOptions>(health =>
        {
            var check = health.Registrations.Single(r => r.Name == RedisHealthCheck);
            check.FailureStatus = HealthStatus.Degraded;
            check.Tags.Add("ready");
        });
        builder.Services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<RateLimitOutage>();
        builder.Services.AddSingleton<RateLimiter>();
        return builder;
    }

    // The client's own errors would name neither the setting nor, for an empty one, the problem.
    private static void RequireConnectionString(IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString(ConnectionName);
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new InvalidOperationException(
                $"Missing configuration ConnectionStrings:{ConnectionName} (environment variable ConnectionStrings__{ConnectionName}).");
        try
        {
            ConfigurationOptions.Parse(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"Invalid configuration ConnectionStrings:{ConnectionName}: {e.Message}", e);
        }
    }
}
