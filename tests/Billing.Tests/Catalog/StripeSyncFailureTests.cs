using System.Net.Http.Json;
using Billing.Tests.Infrastructure;
using Billing.Tests.Webhooks;

namespace Billing.Tests.Catalog;

/// <summary>When Stripe refuses or cannot be reached: the sync is marked failed with the reason, and retried until done.</summary>
[Collection(InfrastructureCollection.Name)]
public sealed class StripeSyncFailureTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task A_refusal_from_Stripe_marks_the_sync_failed_with_its_reason()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        await using var catalog = await CatalogTestHost.StartAsync(infrastructure,
            CatalogTestHost.Settings(sandbox.BaseUrl, stripeKey: "sk_test_not_a_key_the_sandbox_knows"));
        var app = TestApps.NewAppId();
        var client = catalog.ClientFor(app, "catalog:write");

        var location = (await client.PostAsJsonAsync($"/v1/{app}/billing/plans", new { name = "Refused", priceCents = 900, interval = "month" }))
            .Headers.Location!.ToString();
        var plan = await CatalogTestHost.WaitForSyncAsync(client, location, "failed");

        var stripe = plan.GetProperty("stripe");
        Assert.Contains("Invalid API Key", stripe.GetProperty("error").GetString());
        Assert.DoesNotContain("sk_test_not_a_key_the_sandbox_knows", stripe.GetProperty("error").GetString());
        Assert.Empty(await CatalogTestHost.SandboxProductsAsync(sandbox, "app_id", app));
    }

    [Fact]
    public async Task A_sync_that_failed_while_Stripe_was_down_is_retried_to_synced_once_Stripe_is_back()
    {
        var url = CatalogTestHost.FreeLocalUrl();
        await using var catalog = await CatalogTestHost.StartAsync(infrastructure,
            CatalogTestHost.Settings(url, syncRetryInterval: TimeSpan.FromSeconds(1)));
        var app = TestApps.NewAppId();
        var client = catalog.ClientFor(app, "catalog:write");

        var location = (await client.PostAsJsonAsync($"/v1/{app}/billing/plans", new { name = "Patient", priceCents = 900, interval = "month" }))
            .Headers.Location!.ToString();
        var failed = await CatalogTestHost.WaitForSyncAsync(client, location, "failed");
        await using var sandbox = await SandboxServer.StartAsync(url: url);
        var synced = await CatalogTestHost.WaitForSyncAsync(client, location);

        Assert.Contains("could not be reached", failed.GetProperty("stripe").GetProperty("error").GetString());
        Assert.False(synced.GetProperty("stripe").TryGetProperty("error", out _));
        var product = Assert.Single(await CatalogTestHost.SandboxProductsAsync(sandbox, "plan_id", synced.GetProperty("id").GetString()!));
        Assert.Equal(synced.GetProperty("stripe").GetProperty("productId").GetString(), product.GetProperty("id").GetString());
        Assert.Single(await CatalogTestHost.SandboxPricesAsync(sandbox, product.GetProperty("id").GetString()!));
    }
}
