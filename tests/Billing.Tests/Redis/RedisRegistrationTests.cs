using Billing.Hosting;
using Billing.ServiceDefaults.Redis;
using Billing.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Billing.Tests.Redis;

[Collection(InfrastructureCollection.Name)]
public sealed class RedisRegistrationTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task AddRedis_registers_one_shared_client_and_a_ready_check_that_pings_the_server()
    {
        await using var services = Build(infrastructure.Redis.ConnectionString);

        var redis = services.GetRequiredService<IRedis>();
        var report = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync(c => c.Tags.Contains("ready"));

        Assert.Same(redis, services.GetRequiredService<IRedis>());
        Assert.Equal("PONG", (await redis.ExecuteAsync("PING")).AsString());
        Assert.Equal(HealthStatus.Healthy, report.Entries["redis"].Status);
    }

    [Fact]
    public async Task The_ready_check_is_unhealthy_when_redis_is_unreachable()
    {
        await using var services = Build($"127.0.0.1:{FreePort.Next()},password=x,connectTimeout=1000");

        var report = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync(c => c.Tags.Contains("ready"));

        Assert.Equal(HealthStatus.Unhealthy, report.Entries["redis"].Status);
        Assert.IsType<RedisConnectionException>(report.Entries["redis"].Exception);
    }

    [Theory]
    [InlineData(null, "Missing configuration ConnectionStrings:redis")]
    [InlineData("127.0.0.1:6379,colour=blue", "Invalid configuration ConnectionStrings:redis")]
    public void AddRedis_stops_start_up_when_the_connection_string_is_missing_or_malformed(string? connectionString, string message)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build(connectionString));

        Assert.StartsWith(message, error.Message);
    }

    private static ServiceProvider Build(string? connectionString)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:redis"] = connectionString });
        builder.AddRedis();
        return builder.Services.BuildServiceProvider();
    }
}
