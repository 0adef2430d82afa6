using System.Net.Http.Json;
using System.Text.Json;
using Billing.Hosting;
using Billing.Tests.EndToEnd;
using Billing.Tests.Infrastructure;
using Billing.Usage;
using Billing.Usage.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Tests.Usage;

/// <summary>
/// The entitlement check's Redis counters against the committed aggregates: right with Redis up, without it
/// (answered from Postgres), and after it comes back empty (rebuilt on the miss). The service has its own
/// Redis here, so killing it touches no other test. The projections are written directly: Usage's consumers
/// are exercised end to end in <c>EndToEnd.UsageEntitlementTests</c>.
/// </summary>
[Collection(InfrastructureCollection.Name)]
public sealed class EntitlementCountersTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task Answers_stay_right_while_redis_is_down_and_after_it_restarts_empty()
    {
        var root = Path.Combine(Path.GetTempPath(), "billing-usage-redis-" + Guid.NewGuid().ToString("N")[..12]);
        await using var redis = new RedisServer(root, FreePort.Next(), SecretStore.InMemory().Get("redis"), durable: false);
        await redis.StartAsync(TimeSpan.FromSeconds(30));
        await using var service = await TestService.StartAsync(UsageService.Build, infrastructure, UsageService.Name, new Dictionary<string, string?>
        {
            ["ConnectionStrings:redis"] = redis.ConnectionString + ",connectTimeout=1000,syncTimeout=1000",
        });
        var app = TestApps.NewAppId();
        var customer = "cus_" + Guid.NewGuid().ToString("N")[..12];
        await SubscribeAsync(service, app, customer, limit: 100);
        using var client = service.ClientFor(app);
        try
        {
            await IngestAsync(client, app, customer, "r1", 30);
            Assert.Equal(70, await RemainingAsync(client, app, customer));
            await IngestAsync(client, app, customer, "r2", 20);
            Assert.Equal(50, await RemainingAsync(client, app, customer));

            redis.Kill();
            Assert.Equal(50, await RemainingAsync(client, app, customer));
            await IngestAsync(client, app, customer, "r3", 5);
            Assert.Equal(45, await RemainingAsync(client, app, customer));

            // Back, and empty: the first check rebuilds the counter from the aggregates.
            await redis.StartAsync(TimeSpan.FromSeconds(30));
            var remaining = await SystemFixture.EventuallyAsync(() => RemainingAsync(client, app, customer), r => r == 45);
            Assert.Equal(45, remaining);
            await IngestAsync(client, app, customer, "r4", 40);
            await IngestAsync(client, app, customer, "r4", 40);
            Assert.Equal(5, await RemainingAsync(client, app, customer));
            using var over = await client.GetAsync($"/v1/{app}/entitlements/check?customerId={customer}&meter=ai_tokens&quantity=6");
            Assert.Equal(402, (int)over.StatusCode);
        }
        finally
        {
            await redis.StopAsync();
            try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static async Task SubscribeAsync(TestService service, string app, string customer, long limit)
    {
        var plan = "plan_" + Guid.NewGuid().ToString("N")[..12];
        var limits = $$"""{"ai_tokens": {{limit}}}""";
        var (start, end) = (DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(29));
        await service.InScopeAsync(async services =>
        {
            var db = services.GetRequiredService<UsageDbContext>();
            await db.Database.ExecuteSqlAsync($"insert into usage.plans (id, app_id, name, limits, version) values ({plan}, {app}, 'Pro', {limits}::jsonb, 1)");
            return await db.Database.ExecuteSqlAsync($"""
                insert into usage.subscriptions (id, app_id, customer_id, customer_external_id, plan_id, status, current_period_start, current_period_end, version)
                values ({"sub_" + customer}, {app}, {customer}, {"ext-" + customer}, {plan}, 'active', {start}, {end}, 1)
                """);
        });
    }

    private static async Task IngestAsync(HttpClient client, string app, string customer, string id, long quantity)
    {
        using var response = await client.PostAsJsonAsync($"/v1/{app}/usage/events", new
        {
            events = new[] { new { id, customerId = customer, meter = "ai_tokens", quantity, timestamp = DateTimeOffset.UtcNow.ToString("O") } },
        });
        Assert.Equal(202, (int)response.StatusCode);
    }

    private static async Task<long> RemainingAsync(HttpClient client, string app, string customer)
    {
        using var response = await client.GetAsync($"/v1/{app}/entitlements/check?customerId={customer}&meter=ai_tokens&quantity=1");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True((int)response.StatusCode == 200, body.ToString());
        return body.GetProperty("remaining").GetInt64();
    }
}
