using System.Net.Http.Headers;
using System.Net.Http.Json;
using Billing.Tests.Infrastructure;
using Billing.Tests.Tenancy;

namespace Billing.Tests.Gateway;

/// <summary>
/// A gateway before echo servers, two tenants, and the keys the isolation matrix calls with: the
/// tenant's full key, restricted keys, a read-only key, a publishable key, a revoked key.
/// </summary>
public sealed class IsolationMatrixFixture(InfrastructureFixture infrastructure) : IAsyncLifetime
{
    public static readonly string[] Resources = ["catalog", "customers", "subscriptions", "orders", "wallet", "connect", "usage"];

    public EchoBackends Backends { get; private set; } = null!;
    public TestGateway Gateway { get; private set; } = null!;
    public TestTenant Tenant { get; private set; } = null!;
    public TestTenant Other { get; private set; } = null!;
    public string CatalogWriteKey { get; private set; } = null!;
    public string UsageWriteKey { get; private set; } = null!;
    public string ReadOnlyKey { get; private set; } = null!;
    public string PublishableKey { get; private set; } = null!;
    public string RevokedKey { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Backends = await EchoBackends.StartAsync();
        Gateway = await TestGateway.StartAsync(infrastructure, Backends.Destinations());
        Tenant = await TestTenant.CreateAsync(Gateway, "https://shop.example.com");
        Other = await TestTenant.CreateAsync(Gateway);
        CatalogWriteKey = await Secret(Tenant.CreateKeyAsync(Gateway, "secret", "live", "catalog:write"));
        UsageWriteKey = await Secret(Tenant.CreateKeyAsync(Gateway, "secret", "test", "usage:write"));
        ReadOnlyKey = await Secret(Tenant.CreateKeyAsync(Gateway, "secret", "test", [.. Resources.Select(r => $"{r}:read")]));
        PublishableKey = await Secret(Tenant.CreateKeyAsync(Gateway, "publishable", "live"));
        var revoked = await Tenant.CreateKeyAsync(Gateway);
        RevokedKey = revoked.GetProperty("secret").GetString()!;
        using var account = Tenant.AccountClient(Gateway);
        (await account.DeleteAsync($"/v1/apps/{Tenant.AppId}/keys/{revoked.GetProperty("id").GetString()}")).EnsureSuccessStatusCode();
    }

    /// <summary>Sends <paramref name="method"/> to <paramref name="path"/> with the bearer secret (none when null) and a forged identity header.</summary>
    public async Task<HttpResponseMessage> SendAsync(string method, string path, string? secret)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method != "GET") request.Content = JsonContent.Create(new { });
        if (secret is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        request.Headers.Add("X-Billing-Identity", "v1.forged.identity");
        return await Gateway.Client.SendAsync(request);
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Backends.DisposeAsync();
    }

    private static async Task<string> Secret(Task<System.Text.Json.JsonElement> created) => (await created).GetProperty("secret").GetString()!;
}
