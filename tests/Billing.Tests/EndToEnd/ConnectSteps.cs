using System.Net.Http.Json;
using System.Text.Json;
using Billing.Tests.Connect;
using Billing.Tests.Tenancy;

namespace Billing.Tests.EndToEnd;

/// <summary>What an app's server does with Connect in the end-to-end tests: through the gateway with the app's key.</summary>
public sealed class ConnectSteps(SystemFixture system, TestTenant tenant)
{
    public const string ReturnUrl = "https://shop.example.com/connect/done";
    public const string RefreshUrl = "https://shop.example.com/connect/refresh";

    public HttpClient Client { get; } = tenant.KeyClient(system.Gateway);
    public string App => tenant.AppId;
    public string Path(string rest) => $"/v1/{tenant.AppId}/{rest}";

    public Task<JsonElement> OnboardAppAsync(int expected = 200, string returnUrl = ReturnUrl) =>
        Client.PostAsync(Path("billing/connect/onboard"), new { returnUrl, refreshUrl = RefreshUrl }, expected);

    public Task<JsonElement> AppStatusAsync() => Client.GetAsync(Path("billing/connect/status"), 200);

    /// <summary>A new creator, onboarded in the sandbox (its test helper), with payouts enabled as Connect sees it.</summary>
    public async Task<string> OnboardedCreatorAsync()
    {
        var creator = await Client.PostAsync(Path("creators"), new { externalId = "seller-" + Guid.NewGuid().ToString("N")[..8], email = "seller@example.com" }, 201);
        var creatorId = creator.GetProperty("id").GetString()!;
        var onboard = await Client.PostAsync(Path($"creators/{creatorId}/connect/onboard"), new { returnUrl = ReturnUrl, refreshUrl = RefreshUrl }, 200);
        await system.Sandbox.PostAsync($"/v1/test_helpers/accounts/{onboard.GetProperty("accountId").GetString()}/onboard");
        var status = await SystemFixture.EventuallyAsync(() => Client.GetAsync(Path($"creators/{creatorId}/connect/status"), 200),
            s => s.GetProperty("payoutsEnabled").GetBoolean());
        Assert.True(status.GetProperty("payoutsEnabled").GetBoolean());
        return creatorId;
    }

    /// <summary>A wallet charge whose creator share is <paramref name="creatorCents"/>, published as Orders does; returns the charge id.</summary>
    public Task<string> ChargeAsync(string creatorId, long creatorCents, string? chargeId = null) =>
        ConnectTestHost.PublishChargeAsync(system.Connect.Services, App, creatorId, creatorCents, chargeId);

    public Task<JsonElement> BalanceAsync(string creatorId) => Client.GetAsync(Path($"creators/{creatorId}/balance"), 200);

    public Task<JsonElement> BalanceEventuallyAsync(string creatorId, long pendingCents) =>
        SystemFixture.EventuallyAsync(() => BalanceAsync(creatorId), b => b.GetProperty("pendingCents").GetInt64() == pendingCents);

    public Task<JsonElement> PayoutAsync(string creatorId, int expected = 201) =>
        Client.PostAsync(Path($"creators/{creatorId}/payouts"), new { }, expected);

    public async Task<List<JsonElement>> PayoutsAsync(string creatorId) =>
        (await Client.GetAsync(Path($"creators/{creatorId}/payouts"), 200)).GetProperty("data").EnumerateArray().ToList();

    public async Task<List<JsonElement>> TransfersAsync(string payoutId) =>
        (await system.Sandbox.GetAsync($"/v1/transfers?transfer_group={payoutId}")).GetProperty("data").EnumerateArray().ToList();
}
