using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Billing.ServiceDefaults.Redis;

/// <summary>Ready only when Redis answers a PING over the client the service itself uses.</summary>
public sealed class RedisHealthCheck(IRedis redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            var roundTrip = await redis.PingAsync(ct).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"PING answered in {roundTrip.TotalMilliseconds:0.0} ms");
        }
        catch (Exception e) when (e is RedisException or RedisConnectionException or TimeoutException)
        {
            // The registration's failure status: Unhealthy by default, Degraded where Redis is optional (the gateway).
            return new HealthCheckResult(context.Registration.FailureStatus, "redis is unreachable", e);
        }
    }
}
