using System.Net.Http.Json;
using System.Text.Json;
using Billing.Connect;
using Billing.Connect.Infrastructure;
using Billing.Connect.Model;
using Billing.ServiceDefaults.Api;
using Billing.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Tests.Connect;

[Collection(InfrastructureCollection.Name)]
public sealed class ConnectStatusApiTests(InfrastructureFixture infrastructure) : IAsyncLifetime
{
    private TestService _service = null!;

    public async Task InitializeAsync() => _service = await TestService.StartAsync(ConnectService.Build, infrastructure, "connect");

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Fact]
    public async Task Status_is_not_connected_for_an_app_without_an_account()
    {
        var status = await _service.ClientFor("app_x").GetFromJsonAsync<JsonElement>($"/v1/app_x/billing/connect/status");

        Assert.False(status.GetProperty("connected").GetBoolean());
        Assert.Equal(JsonValueKind.Null, status.GetProperty("accountId").ValueKind);
    }

    [Fact]
    public async Task Status_reads_the_apps_account_flags()
    {
        var app = TestApps.NewAppId();
        using (var scope = _service.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ConnectDbContext>();
            db.ConnectedAccounts.Add(new ConnectedAccount
            {
                Id = Ids.New("ca"), AppId = app, OwnerId = app, StripeAccountId = "acct_" + app[4..20],
                DetailsSubmitted = true, ChargesEnabled = true, PayoutsEnabled = false,
            });
            await db.SaveChangesAsync();
        }

        var status = await _service.ClientFor(app).GetFromJsonAsync<JsonElement>($"/v1/{app}/billing/connect/status");

        Assert.True(status.GetProperty("connected").GetBoolean());
        Assert.False(status.GetProperty("payoutsEnabled").GetBoolean());
        Assert.StartsWith("acct_", status.GetProperty("accountId").GetString());
    }
}
