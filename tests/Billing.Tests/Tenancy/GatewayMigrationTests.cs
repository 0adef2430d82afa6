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

        Assert.Equal(0, await ServiceHost.RunAsync(["migrate", .. arguments], GatewayService.Build));
        Assert.Equal(0, await ServiceHost.RunAsync(["migrate", .. arguments], GatewayService.Build));

        await using var db = new NpgsqlConnection(infrastructure.Database("gateway"));
        await db.OpenAsync();
        await using var command = new NpgsqlCommand("select count(*) from gateway.apps where id = 'app_platform' and is_platform", db);
        Assert.Equal(1L, (long)(await command.ExecuteScalarAsync())!);
    }
}
