using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Billing.Usage.Entitlements;

public static class UsageCountersExtensions
{
    /// <summary>Aspire's check name for the default Redis client.</summary>
    public const string RedisHealthCheck = "StackExchange.Redis";

    /// <summary>
    /// The Redis the counters live in: Aspire's StackExchange.Redis client from <c>ConnectionStrings:redis</c>.
    /// Counters fall back to Postgres without it, so Redis down makes the service degraded, not down.
    /// </summary>
    public static WebApplicationBuilder AddUsageCounters(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString("redis")))
            throw new InvalidOperationException("Missing configuration ConnectionStrings:redis (environment variable ConnectionStrings__redis).");
        builder.AddRedisClient("redis",
            settings =>
            {
                // Connected while the service starts, so the first checks find it ready.
                settings.DisableAutoActivation = false;
                settings.DisableTracing = true;
            },
            // Without a connection, fail at once and answer from Postgres rather than queue behind a reconnect.
            redis => redis.BacklogPolicy = BacklogPolicy.FailFast);
        builder.Services.Configure<HealthCheckServiceOptions>(health =>
        {
            var check = health.Registrations.Single(r => r.Name == RedisHealthCheck);
            check.FailureStatus = HealthStatus.Degraded;
            check.Tags.Add("ready");
        });
        return builder;
    }
}
