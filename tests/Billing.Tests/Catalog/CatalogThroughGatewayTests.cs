using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Billing.Tests.Gateway;
using Billing.Tests.Infrastructure;
using Billing.Tests.Tenancy;
using Billing.Tests.Webhooks;

namespace Billing.Tests.Catalog;

/// <summary>An app's real keys through the gateway: the secret key sells a plan, the publishable key sees it once Stripe has it.</summary>
[Collection(InfrastructureCollection.Name)]
public sealed class CatalogThroughGatewayTests(InfrastructureFixture infrastructure) : IAsyncLifetime
{
    private SandboxServer _sandbox = null!;
    private TestService _catalog = null!;
    private EchoBackends _others = null!;
    private TestGateway _gateway = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxServer.StartAsync();
        _catalog = await CatalogTestHost.StartAsync(infrastructure, CatalogTestHost.Settings(_sandbox.BaseUrl));
        _others = await EchoBackends.StartAsync(except: "catalog");
        _gateway = await TestGateway.StartAsync(infrastructure, _others.Destinations(("catalog", [_catalog.Address])));
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _others.DisposeAsync();
        await _catalog.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    [Fact]
    public async Task A_plan_and_a_product_made_with_a_secret_key_reach_the_public_catalog_once_synced()
    {
        var tenant = await TestTenant.CreateAsync(_gateway);
        using var secret = tenant.KeyClient(_gateway);
        var publishableKey = await tenant.CreateKeyAsync(_gateway, "publishable", "test");
        using var publishable = _gateway.ClientWith(publishableKey.GetProperty("secret").GetString()!);
        var app = tenant.AppId;

        var plan = await secret.PostAsJsonAsync($"/v1/{app}/billing/plans", new
        {
            name = "Team", prices = new object[] { new { interval = "month", amountCents = 2_900 }, new { interval = "year", amountCents = 29_000 } },
        });
        var product = await secret.PostAsJsonAsync($"/v1/{app}/billing/products", new { name = "Credits", priceCents = 1_000 });
        var planPath = $"/v1/{app}/billing/plans/{(await plan.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()}";
        var productPath = $"/v1/{app}/billing/products/{(await product.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()}";
        await CatalogTestHost.WaitForSyncAsync(secret, planPath);
        await CatalogTestHost.WaitForSyncAsync(secret, productPath);

        var plans = await publishable.GetFromJsonAsync<JsonElement>($"/v1/{app}/billing/plans");
        var products = await publishable.GetFromJsonAsync<JsonElement>($"/v1/{app}/billing/products");
        var update = await publishable.PutAsJsonAsync(planPath, new { name = "Hacked" });

        Assert.Equal(HttpStatusCode.Created, plan.StatusCode);
        Assert.Equal(HttpStatusCode.Created, product.StatusCode);
        Assert.Equal("Team", Assert.Single(plans.GetProperty("data").EnumerateArray()).GetProperty("name").GetString());
        Assert.Equal("Credits", Assert.Single(products.GetProperty("data").EnumerateArray()).GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, update.StatusCode);
    }
}
