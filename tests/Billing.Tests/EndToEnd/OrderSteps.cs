using System.Net.Http.Json;
using System.Text.Json;
using Billing.Orders.Infrastructure;
using Billing.Tests.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Tests.EndToEnd;

/// <summary>What an app's server and its customers do with orders and the wallet, through the gateway and the sandbox.</summary>
public sealed class OrderSteps(SystemFixture system, TestTenant tenant)
{
    public BillingSteps Billing { get; } = new(system, tenant);
    public HttpClient Client => Billing.Client;
    public string App => tenant.AppId;
    public string Path(string rest) => Billing.Path(rest);

    /// <summary>A product made in Catalog, once Catalog synced it to Stripe and Orders' projection holds it as sellable.</summary>
    public async Task<string> ProductAsync(long priceCents = 2500)
    {
        var product = await Client.PostAsync(Path("products"), new { name = "Poster " + Guid.NewGuid().ToString("N")[..6], priceCents }, 201);
        var id = product.GetProperty("id").GetString()!;
        var sellable = await SystemFixture.EventuallyAsync(() => system.Orders.InScopeAsync(services =>
            services.GetRequiredService<OrdersDbContext>().CatalogProducts.AnyAsync(p => p.Id == id && p.Sellable && p.StripePriceId != null)), ok => ok);
        Assert.True(sellable, $"The product {id} did not become sellable in Orders.");
        return id;
    }

    public static object Customer(string externalId) => new { customerExternalId = externalId, email = externalId + "@example.com" };

    public Task<JsonElement> PurchaseAsync(string productId, string externalId, string captureMethod = "automatic", int quantity = 1) =>
        Client.PostAsync(Path("purchase"), new
        {
            productId, customerExternalId = externalId, email = externalId + "@example.com", quantity, captureMethod,
            successUrl = BillingSteps.SuccessUrl, cancelUrl = BillingSteps.CancelUrl, metadata = new Dictionary<string, string> { ["cart"] = "c1" },
        }, 201);

    public Task<JsonElement> DepositAsync(string externalId, long amountCents, int expected = 201) =>
        Client.PostAsync(Path("wallet/deposit"), new
        {
            customerExternalId = externalId, email = externalId + "@example.com", amountCents,
            successUrl = BillingSteps.SuccessUrl, cancelUrl = BillingSteps.CancelUrl,
        }, expected);

    /// <summary>Pays the session on the sandbox's checkout; a declined card answers 402 there, as the hosted page shows it.</summary>
    public async Task<int> PayAsync(JsonElement session, string card = "4242424242424242")
    {
        using var response = await system.Sandbox.Client.PostAsync(
            $"/v1/test_helpers/checkout/sessions/{session.GetProperty("sessionId").GetString()}/complete",
            new FormUrlEncodedContent([new("card", card)]));
        return (int)response.StatusCode;
    }

    public Task<JsonElement> OrderAsync(string orderId) => Client.GetAsync(Path("orders/" + orderId), 200);

    /// <summary>The order once it is in <paramref name="status"/> (or after 30 s, for the test to assert on).</summary>
    public Task<JsonElement> OrderEventuallyAsync(string orderId, string status) =>
        SystemFixture.EventuallyAsync(() => OrderAsync(orderId), o => o.GetProperty("status").GetString() == status);

    public async Task<long> BalanceAsync(string customerId) =>
        (await Client.GetAsync(Path("wallet?customerId=" + customerId), 200)).GetProperty("balanceCents").GetInt64();

    public static string Id(JsonElement e, string name = "orderId") => e.GetProperty(name).GetString()!;
}
