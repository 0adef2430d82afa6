using System.Text.Json;
using Billing.Contracts;
using Billing.Tests.Catalog;
using Billing.Tests.EndToEnd;
using Billing.Tests.Infrastructure;
using Billing.Usage;
using Npgsql;

namespace Billing.Tests.Usage;

/// <summary>
/// Usage's plan projection gets the platform tiers whatever the start order. On a fresh system Catalog can seed the
/// tiers and publish their PlanChanged before Usage's queue exists (RabbitMQ drops those): here Catalog holds the
/// tiers and Usage's projection has none of them, as after that race, and Usage starts. It asks Catalog to replay
/// them (PlansReplayRequested), and the limits arrive. Real Catalog, broker and Usage; the projection is read in
/// Postgres.
/// </summary>
[Collection(InfrastructureCollection.Name)]
public sealed class PlatformPlansBackfillTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task Usage_started_after_the_tiers_were_published_asks_Catalog_again_and_gets_their_limits()
    {
        await using var catalog = await CatalogTestHost.StartAsync(infrastructure);
        // Seeded by Catalog at start (or by an earlier test's Catalog).
        await SystemFixture.EventuallyAsync(() => CountAsync("catalog", "select count(*) from catalog.plans where app_id = 'app_platform'"), n => n == 4);
        // What the race leaves: the tiers' events never reached Usage.
        await CountAsync("usage", "with gone as (delete from usage.plans where app_id = 'app_platform' returning 1) select count(*) from gone");
        Assert.Equal(0, await CountAsync("usage", "select count(*) from usage.plans where app_id = 'app_platform'"));

        await using var usage = await TestService.StartAsync(UsageService.Build, infrastructure, UsageService.Name, MessagingTestHostSettings());
        var limits = await SystemFixture.EventuallyAsync(PlatformLimitsAsync, l => l.Count == 4, TimeSpan.FromSeconds(60));

        Assert.Equal(["plan_platform_business", "plan_platform_free", "plan_platform_pro", "plan_platform_starter"], limits.Keys.Order().ToList());
        Assert.Equal(100_000, limits["plan_platform_free"]["ai_tokens"]);
        Assert.Equal(10_000_000, limits["plan_platform_pro"]["lambda_invocations"]);
    }

    private static Dictionary<string, string?> MessagingTestHostSettings() => new(Messaging.MessagingTestHost.FastSettings);

    private async Task<long> CountAsync(string schema, string sql)
    {
        await using var connection = new NpgsqlConnection(infrastructure.Database(schema));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<Dictionary<string, Dictionary<string, long>>> PlatformLimitsAsync()
    {
        await using var connection = new NpgsqlConnection(infrastructure.Database("usage"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select id, limits::text from usage.plans where app_id = '{PlatformApp.Id}'", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var limits = new Dictionary<string, Dictionary<string, long>>();
        while (await reader.ReadAsync()) limits[reader.GetString(0)] = JsonSerializer.Deserialize<Dictionary<string, long>>(reader.GetString(1))!;
        return limits;
    }
}
