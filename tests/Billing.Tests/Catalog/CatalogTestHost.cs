using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Billing.Catalog;
using Billing.Tests.Infrastructure;
using Billing.Tests.Messaging;
using Billing.Tests.Webhooks;

namespace Billing.Tests.Catalog;

/// <summary>
/// The Catalog service as the AppHost configures it, with test settings, and what its tests wait for. As a
/// class fixture: the service synced to a sandbox of its own, shared by a class's tests (each makes its own app).
/// </summary>
public sealed class CatalogTestHost(InfrastructureFixture infrastructure) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public SandboxServer Sandbox { get; private set; } = null!;
    public TestService Catalog { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Sandbox = await SandboxServer.StartAsync();
        Catalog = await StartAsync(infrastructure, Settings(Sandbox.BaseUrl));
    }

    public async Task DisposeAsync()
    {
        await Catalog.DisposeAsync();
        await Sandbox.DisposeAsync();
    }

    /// <param name="stripeApiBase">The sandbox's address; none for tests that never reach Stripe (port 1 refuses at once).</param>
    /// <param name="syncRetryInterval">How often failed syncs are retried; long unless a test is about it.</param>
    public static Dictionary<string, string?> Settings(string? stripeApiBase = null, TimeSpan? syncRetryInterval = null, string? stripeKey = null) =>
        new(MessagingTestHost.FastSettings)
        {
            ["Stripe:SecretKey"] = stripeKey ?? WebhooksTestHost.StripeKey,
            ["Stripe:ApiBase"] = stripeApiBase ?? "http://127.0.0.1:1",
            ["Stripe:MaxNetworkRetries"] = "0",
            ["Catalog:SyncRetryInterval"] = (syncRetryInterval ?? TimeSpan.FromMinutes(10)).ToString(),
        };

    public static Task<TestService> StartAsync(InfrastructureFixture infrastructure, Dictionary<string, string?>? settings = null) =>
        TestService.StartAsync(CatalogService.Build, infrastructure, CatalogService.Name, settings ?? Settings());

    /// <summary>
    /// Catalog on a broker it cannot reach and with no Stripe: what it makes is there to read, but its PlanChanged and
    /// ProductChanged stay in its outbox (no other service hears of them) and nothing syncs.
    /// </summary>
    public static Task<TestService> StartWithEventsHeldAsync(InfrastructureFixture infrastructure) =>
        StartAsync(infrastructure, new(Settings())
        {
            ["ConnectionStrings:rabbitmq"] = "amqp://guest:guest@127.0.0.1:1/",
            ["Messaging:WaitUntilBusStarted"] = "false",
            ["Messaging:BrokerStartWait"] = "00:00:00",
        });

    /// <summary>Reads <paramref name="path"/> until its <c>stripe.syncStatus</c> is <paramref name="status"/>; fails after a minute.</summary>
    public static async Task<JsonElement> WaitForSyncAsync(HttpClient client, string path, string status = "synced")
    {
        var deadline = DateTime.UtcNow + Patience;
        JsonElement body;
        do
        {
            body = await client.GetFromJsonAsync<JsonElement>(path);
            if (body.GetProperty("stripe").GetProperty("syncStatus").GetString() == status) return body;
            await Task.Delay(50);
        }
        while (DateTime.UtcNow < deadline);
        throw new Xunit.Sdk.XunitException($"{path} did not reach syncStatus {status} within {Patience}: {body}");
    }

    /// <summary>Every product in the sandbox whose metadata names <paramref name="key"/> = <paramref name="value"/>.</summary>
    public static async Task<List<JsonElement>> SandboxProductsAsync(SandboxServer sandbox, string key, string value)
    {
        var found = new List<JsonElement>();
        string? after = null;
        while (true)
        {
            var page = await sandbox.GetAsync("/v1/products?limit=100" + (after is null ? "" : $"&starting_after={after}"));
            var data = page.GetProperty("data").EnumerateArray().ToList();
            found.AddRange(data.Where(p => p.GetProperty("metadata").TryGetProperty(key, out var v) && v.GetString() == value));
            if (!page.GetProperty("has_more").GetBoolean() || data.Count == 0) return found;
            after = data[^1].GetProperty("id").GetString();
        }
    }

    /// <summary>The sandbox's prices of a Stripe product, active or not.</summary>
    public static async Task<List<JsonElement>> SandboxPricesAsync(SandboxServer sandbox, string stripeProductId) =>
        (await sandbox.GetAsync($"/v1/prices?limit=100&product={stripeProductId}")).GetProperty("data").EnumerateArray().ToList();

    /// <summary>A free 127.0.0.1 address, for a sandbox that must come back on the same one after a stop.</summary>
    public static string FreeLocalUrl()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
    }
}
