using Billing.Gateway;
using Billing.Gateway.Routing;
using Billing.ServiceDefaults.Hosting;
using Billing.Tests.Gateway;
using Billing.Tests.Infrastructure;
using Npgsql;

namespace Billing.Tests.Tenancy;

[Collection(InfrastructureCollection.Name)]
public sealed class GatewayMigrationTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task Migrate_creates_the_gateway_schema_with_the_platform_app_and_is_safe_to_run_again()
    {
        var somewhere = new Uri("http://127.0.0.1:5999/");
        var arguments = TestGateway.Arguments(ServiceNames.All.ToDictionary(s => s, _ => new[] { somewhere }),
            new Dictionary<string, string?> { ["ConnectionStrings:gatewaydb"] = infrastructure.Database("gateway") });

        Assert.Equal(0, await ServiceHost.RunAsync(["migrate", .. arguments], GatewayService.Build, GatewayService.Migrations));
        Assert.Equal(0, await ServiceHost.RunAsync(["migrate", .. arguments], GatewayService.Build, GatewayService.Migrations));

        await using var db = new NpgsqlConnection(infrastructure.Database("gateway"));
        await db.OpenAsync();
        await using var command = new NpgsqlCommand("select count(*) from gateway.apps where id = 'app_platform' and is_platform", db);
        Assert.Equal(1L, (long)(await command.ExecuteScalarAsync())!);
        // The same scripts the gateway's host registers, without building it: Idempotency-Key, its own, the outbox and inbox.
        await using var sources = new NpgsqlCommand("select distinct split_part(id, '/', 1) from gateway.schema_migrations order by 1", db);
        var applied = new List<string>();
        await using (var reader = await sources.ExecuteReaderAsync())
            while (await reader.ReadAsync()) applied.Add(reader.GetString(0));
        Assert.Equal(["gateway", "idempotency", "messaging"], applied);
    }
}
