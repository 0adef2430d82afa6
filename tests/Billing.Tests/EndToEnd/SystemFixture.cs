using System.Net.Http.Json;
using System.Text.Json;
using Billing.Catalog;
using Billing.Connect;
using Billing.Orders;
using Billing.Usage;
using Billing.Contracts.Subscriptions;
using Billing.ServiceDefaults.Http;
using Billing.ServiceDefaults.Messaging;
using Billing.Subscriptions.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Billing.Hosting;
using Billing.Subscriptions;
using Billing.Tests.Gateway;
using Billing.Tests.Infrastructure;
using Billing.Tests.Subscriptions;
using Billing.Tests.Tenancy;
using Billing.Tests.Webhooks;
using Billing.Webhooks;

namespace Billing.Tests.EndToEnd;

/// <summary>
/// The system as a user meets it: real Postgres, RabbitMQ and Redis, the Stripe sandbox delivering its
/// webhooks to the gateway's <c>/webhooks/stripe</c> and <c>/webhooks/stripe/connect</c>, the six
/// services (Stripe.net pointed at the sandbox), and the gateway routing to
/// them. Tests call only the gateway and the sandbox, as an app and its customers would.
/// </summary>
public sealed class SystemFixture(InfrastructureFixture infrastructure) : IAsyncLifetime
{
    public InfrastructureFixture Infrastructure => infrastructure;
    public SandboxServer Sandbox { get; private set; } = null!;
    public TestService Webhooks { get; private set; } = null!;
    public TestService Catalog { get; private set; } = null!;
    public TestService Subscriptions { get; private set; } = null!;
    public TestService Orders { get; private set; } = null!;
    public TestService Connect { get; private set; } = null!;
    public TestService Usage { get; private set; } = null!;
    public TestGateway Gateway { get; private set; } = null!;
    /// <summary>The Connect ledger's clock (holding periods, payout periods), moved forward by the Connect tests.</summary>
    public Billing.Tests.Connect.AdjustableClock ConnectClock { get; } = new();

    /// <summary>Sellable plans for the tests, made through the gateway and synced by the Catalog (<see cref="TestPlans"/>).</summary>
    public TestPlans Plans { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // The sandbox needs the gateway's address for its webhook endpoints before the gateway can start
        // (the gateway needs the services, which need the sandbox): the gateway's port is chosen first.
        var gatewayUrl = $"http://127.0.0.1:{FreePort.Next()}";
        Sandbox = await SandboxServer.StartAsync(platformUrl: $"{gatewayUrl}/webhooks/stripe", connectUrl: $"{gatewayUrl}/webhooks/stripe/connect");
        Webhooks = await WebhooksTestHost.StartAsync(infrastructure, WebhooksTestHost.Settings(Sandbox.BaseUrl));
        var stripe = SubscriptionsTestHost.Settings(Sandbox.BaseUrl);
        Catalog = await TestService.StartAsync(CatalogService.Build, infrastructure, CatalogService.Name, stripe);
        var catalog = new Dictionary<string, string?>(stripe) { ["services:catalog:http:0"] = Catalog.Address.ToString() };
        Subscriptions = await TestService.StartAsync(SubscriptionsService.Build, infrastructure, SubscriptionsService.Name, catalog);
        Orders = await TestService.StartAsync(OrdersService.Build, infrastructure, OrdersService.Name, new Dictionary<string, string?>(catalog) { ["services:subscriptions:http:0"] = Subscriptions.Address.ToString() });
        Subscriptions.App.Configuration["services:orders:http:0"] = Orders.Address.ToString(); // started after Subscriptions: found on first use
        Connect = await TestService.StartAsync(args => ConnectService.Build(args, s => s.AddSingleton(new Billing.Connect.Ledger.LedgerClock(ConnectClock))), infrastructure, ConnectService.Name, stripe);
        Usage = await TestService.StartAsync(UsageService.Build, infrastructure, UsageService.Name, stripe);
        foreach (var service in new[] { Subscriptions, Orders, Connect, Usage }) await WaitReadyAsync(service);
        Gateway = await TestGateway.StartAsync(infrastructure, new Dictionary<string, Uri[]>
            {
                ["webhooks"] = [Webhooks.Address], ["catalog"] = [Catalog.Address], ["subscriptions"] = [Subscriptions.Address],
                ["orders"] = [Orders.Address], ["connect"] = [Connect.Address], ["usage"] = [Usage.Address],
            },
            new Dictionary<string, string?> { ["urls"] = gatewayUrl });
        Plans = new TestPlans(this);
    }

    /// <summary>A new developer account with an app (redirect origins <c>https://shop.example.com</c>, <c>http://localhost:5173</c>) and a full secret key.</summary>
    public Task<TestTenant> NewTenantAsync() => TestTenant.CreateAsync(Gateway, "https://shop.example.com", "http://localhost:5173");

    /// <summary>Polls <paramref name="read"/> until <paramref name="done"/> holds or 30 s pass; returns the last value for the test to assert on.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline) return value;
            await Task.Delay(100);
        }
    }

    /// <summary>The SubscriptionChanged events Subscriptions staged in its outbox for one subscription, oldest first.</summary>
    public Task<List<SubscriptionDetails>> SubscriptionChangesAsync(string subscriptionId) => Subscriptions.InScopeAsync(async services =>
    {
        var db = services.GetRequiredService<SubscriptionsDbContext>();
        var bodies = await db.Set<OutboxMessage>().AsNoTracking()
            .Where(m => m.MessageType.StartsWith(typeof(SubscriptionChanged).FullName!)).OrderBy(m => m.Sequence).Select(m => m.Body).ToListAsync();
        return bodies.Select(b => JsonSerializer.Deserialize<SubscriptionChanged>(b, JsonDefaults.Options)!.Subscription)
            .Where(s => s.Id == subscriptionId).ToList();
    });

    // A bus still connecting when its host stops lives on and consumes from the shared queues: wait for /health (bus up).
    private static async Task WaitReadyAsync(TestService service)
    {
        await EventuallyAsync(async () => (await service.Client.GetAsync("/health")).IsSuccessStatusCode, ok => ok);
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Usage.DisposeAsync();
        await Connect.DisposeAsync();
        await Orders.DisposeAsync();
        await Subscriptions.DisposeAsync();
        await Catalog.DisposeAsync();
        await Webhooks.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}

/// <summary>Calls through the gateway as an app's server does, failing with the body when the status is not the expected one.</summary>
public static class GatewayCalls
{
    public static async Task<JsonElement> PostAsync(this HttpClient client, string path, object body, int expected)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        return await ReadAsync(response, expected, "POST " + path);
    }

    public static async Task<JsonElement> PutAsync(this HttpClient client, string path, object body, int expected)
    {
        using var response = await client.PutAsJsonAsync(path, body);
        return await ReadAsync(response, expected, "PUT " + path);
    }

    public static async Task<JsonElement> GetAsync(this HttpClient client, string path, int expected)
    {
        using var response = await client.GetAsync(path);
        return await ReadAsync(response, expected, "GET " + path);
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, int expected, string call)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == expected, $"{call}: expected {expected}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
