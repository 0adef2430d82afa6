using System.Net.Http.Json;
using System.Text.Json;
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

    // The wallet side of the marketplace, for ChargeAsync: one buyer per app, funded on first use.
    private readonly OrderSteps _orders = new(system, tenant);
    private string? _buyer;

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

    /// <summary>
    /// A wallet charge naming the creator, as the app's server makes it: a buyer's wallet (funded once on the
    /// sandbox's checkout) pays <paramref name="amountCents"/>, Orders keeps the app's fee (20 % by default) and
    /// announces the creator's share through its outbox, which Connect books. Returns the creator's share.
    /// </summary>
    public async Task<long> ChargeAsync(string creatorId, long amountCents)
    {
        _buyer ??= await FundedBuyerAsync();
        var charge = await _orders.Client.PostAsync(_orders.Path("wallet/charge"),
            new { customerExternalId = _buyer, amountCents, creatorId, description = "A sale" }, 201);
        return charge.GetProperty("creatorCents").GetInt64();
    }

    private async Task<string> FundedBuyerAsync()
    {
        var buyer = "buyer-" + Guid.NewGuid().ToString("N")[..8];
        var deposit = await _orders.DepositAsync(buyer, 5000);
        Assert.Equal(200, await _orders.PayAsync(deposit));
        var verified = await _orders.Client.GetAsync(_orders.Path("wallet/verify?sessionId=" + OrderSteps.Id(deposit, "sessionId")), 200);
        Assert.True(verified.GetProperty("deposited").GetBoolean());
        return buyer;
    }

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
