using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Billing.Connect.Infrastructure;
using Billing.Connect.Payouts;
using Billing.Contracts.Stripe;
using Billing.Contracts.Wallet;
using Billing.ServiceDefaults.Messaging;
using Billing.Tests.Infrastructure;
using Billing.Tests.Webhooks;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Tests.Connect;

/// <summary>The Connect service on its own (no gateway, no webhooks): crashes, ordering and the ledger's edges, with the sandbox as Stripe.</summary>
[Collection(InfrastructureCollection.Name)]
public sealed class ConnectServiceTests(InfrastructureFixture infrastructure) : IAsyncLifetime
{
    private const string ReturnUrl = "https://shop.example.com/connect/done";
    private const string RefreshUrl = "https://shop.example.com/connect/refresh";
    private SandboxServer _sandbox = null!;
    private readonly AdjustableClock _clock = new();

    public async Task InitializeAsync() => _sandbox = await SandboxServer.StartAsync();

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    [Fact]
    public async Task A_payout_interrupted_between_the_transfer_and_its_recording_is_reconciled_after_a_restart_and_paid_once()
    {
        var app = TestApps.NewAppId();
        string payoutId;
        string creatorId;
        await using (var crashing = await ConnectTestHost.StartAsync(infrastructure, _sandbox.BaseUrl, _clock,
                         s => s.AddSingleton<PayoutHooks>(new CrashAfterTransfer()),
                         new Dictionary<string, string?> { ["Connect:PayoutTakeOverAfter"] = "01:00:00" }))
        {
            var client = crashing.ClientFor(app);
            creatorId = await OnboardedCreatorAsync(client, app);
            await ConnectTestHost.PublishChargeAsync(crashing.Services, app, creatorId, 1800);
            await BalanceEventuallyAsync(client, app, creatorId, b => b.GetProperty("pendingCents").GetInt64() == 1800);
            _clock.Advance(TimeSpan.FromDays(8));

            using var interrupted = await client.PostAsync($"/v1/{app}/creators/{creatorId}/payouts", null);
            Assert.Equal(HttpStatusCode.InternalServerError, interrupted.StatusCode);
            var left = await PayoutsAsync(crashing, creatorId);
            payoutId = Assert.Single(left).Id;
            Assert.Equal(Billing.Connect.Model.PayoutStatus.Pending, Assert.Single(left).Status);
        }
        var transfers = await TransfersAsync(payoutId);
        Assert.Single(transfers);

        await using var restarted = await ConnectTestHost.StartAsync(infrastructure, _sandbox.BaseUrl, _clock,
            settings: new Dictionary<string, string?> { ["Connect:PayoutTakeOverAfter"] = "00:00:00" });
        var paid = await SystemFixtureWait(async () => Assert.Single(await PayoutsAsync(restarted, creatorId)), p => p.Status == Billing.Connect.Model.PayoutStatus.Paid);

        Assert.Equal(Billing.Connect.Model.PayoutStatus.Paid, paid.Status);
        var transfer = Assert.Single(await TransfersAsync(payoutId));
        Assert.Equal(transfer.GetProperty("id").GetString(), paid.StripeTransferId);
        Assert.Equal(1800, transfer.GetProperty("amount").GetInt64());
        // The sweeper keeps running: still one transfer, and nothing left to pay.
        await restarted.Services.GetRequiredService<PayoutSweeper>().SweepAsync(CancellationToken.None);
        Assert.Single(await TransfersAsync(payoutId));
        var balance = await restarted.ClientFor(app).GetFromJsonAsync<JsonElement>($"/v1/{app}/creators/{creatorId}/balance");
        Assert.Equal(0, balance.GetProperty("availableCents").GetInt64());
    }

    [Fact]
    public async Task Refunds_beyond_what_is_available_are_carried_forward_and_never_paid()
    {
        await using var service = await ConnectTestHost.StartAsync(infrastructure, _sandbox.BaseUrl, _clock);
        var app = TestApps.NewAppId();
        var client = service.ClientFor(app);
        var creatorId = await OnboardedCreatorAsync(client, app);
        var first = await ConnectTestHost.PublishChargeAsync(service.Services, app, creatorId, 1200);
        await BalanceEventuallyAsync(client, app, creatorId, b => b.GetProperty("pendingCents").GetInt64() == 1200);
        _clock.Advance(TimeSpan.FromDays(8));
        var payout = await client.PostAsJsonAsync($"/v1/{app}/creators/{creatorId}/payouts", new { });
        Assert.Equal(HttpStatusCode.Created, payout.StatusCode);

        // The paid sale is refunded afterwards, and a new sale is still held.
        await ConnectTestHost.PublishRefundAsync(service.Services, app, creatorId, first, 1200);
        await ConnectTestHost.PublishChargeAsync(service.Services, app, creatorId, 1500);
        var balance = await BalanceEventuallyAsync(client, app, creatorId,
            b => b.GetProperty("carriedForwardCents").GetInt64() == 1200 && b.GetProperty("pendingCents").GetInt64() == 1500);
        Assert.Equal((0, 1500, 1200), Sums(balance));
        var refused = await client.PostAsJsonAsync($"/v1/{app}/creators/{creatorId}/payouts", new { });
        Assert.Equal("payout_below_minimum", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());

        // Once the new sale is available, the debt is paid off first: 1500 - 1200 = 300, below the minimum.
        _clock.Advance(TimeSpan.FromDays(8));
        balance = await client.GetFromJsonAsync<JsonElement>($"/v1/{app}/creators/{creatorId}/balance");
        Assert.Equal((300, 0, 0), Sums(balance));
        refused = await client.PostAsJsonAsync($"/v1/{app}/creators/{creatorId}/payouts", new { });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
    }

    [Fact]
    public async Task An_account_updated_older_than_the_state_held_is_dropped_and_the_status_is_read_from_Stripe_until_an_event_comes()
    {
        await using var service = await ConnectTestHost.StartAsync(infrastructure, _sandbox.BaseUrl, _clock);
        var app = TestApps.NewAppId();
        var client = service.ClientFor(app);
        var onboard = await client.PostAsJsonAsync($"/v1/{app}/billing/connect/onboard", new { returnUrl = ReturnUrl, refreshUrl = RefreshUrl });
        var accountId = (await onboard.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accountId").GetString()!;

        // Onboarded in Stripe, no webhook here: the status reads Stripe.
        await _sandbox.PostAsync($"/v1/test_helpers/accounts/{accountId}/onboard");
        var status = await client.GetFromJsonAsync<JsonElement>($"/v1/{app}/billing/connect/status");
        Assert.True(status.GetProperty("chargesEnabled").GetBoolean());

        var bus = service.Services.GetRequiredService<IBus>();
        var now = DateTimeOffset.UtcNow;
        AccountUpdated Event(bool enabled, DateTimeOffset created) => new(Guid.NewGuid(), created, app,
            new StripeOrigin("evt_" + Guid.NewGuid().ToString("N"), "account.updated", created, accountId),
            new AccountState(accountId, enabled, enabled, enabled, []));
        // Stripe disabled charges a minute from now; the delivery of an older "enabled" snapshot comes later.
        await bus.Publish(Event(false, now.AddMinutes(1)));
        await SystemFixtureWait(() => client.GetFromJsonAsync<JsonElement>($"/v1/{app}/billing/connect/status"),
            s => !s.GetProperty("chargesEnabled").GetBoolean());
        await bus.Publish(Event(true, now.AddSeconds(30)));
        await Task.Delay(1000);

        status = await client.GetFromJsonAsync<JsonElement>($"/v1/{app}/billing/connect/status");
        Assert.False(status.GetProperty("chargesEnabled").GetBoolean());
        Assert.True(status.GetProperty("connected").GetBoolean());
        var versions = await service.InScopeAsync(services => services.GetRequiredService<ConnectDbContext>().Set<Billing.ServiceDefaults.Messaging.OutboxMessage>()
            .AsNoTracking().Where(m => m.MessageType.StartsWith("Billing.Contracts.Connect.ConnectAccountChanged"))
            .Select(m => m.Body).ToListAsync());
        var changes = versions.Select(b => JsonDocument.Parse(b).RootElement).Where(e => e.GetProperty("appId").GetString() == app).ToList();
        // Created (1), onboarded (2), disabled (3); the late snapshot made no change.
        Assert.Equal([1L, 2L, 3L], changes.Select(c => c.GetProperty("version").GetInt64()).Order());
    }

    [Fact]
    public async Task The_same_wallet_charge_delivered_again_under_a_new_message_id_is_booked_once()
    {
        await using var service = await ConnectTestHost.StartAsync(infrastructure, _sandbox.BaseUrl, _clock);
        var app = TestApps.NewAppId();
        var client = service.ClientFor(app);
        var created = await client.PostAsJsonAsync($"/v1/{app}/creators", new { externalId = "creator-1", email = "c@example.com" });
        var creatorId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var charge = new WalletCharged(Guid.NewGuid(), DateTimeOffset.UtcNow, app, "wtx_" + Guid.NewGuid().ToString("N"), "cus_test", creatorId,
            1250, 250, 1000, "usd", "A sale");
        // Orders' relay republishing after a lost acknowledgement: the same charge, a new MessageId (so the inbox lets it in).
        Guid[] deliveries = [Guid.NewGuid(), Guid.NewGuid()];
        var bus = service.Services.GetRequiredService<IBus>();
        foreach (var messageId in deliveries) await bus.Publish(charge, c => c.MessageId = messageId);

        // Once both deliveries are consumed (each left its inbox row), the balance shows what they booked.
        var consumed = await SystemFixtureWait(() => service.InScopeAsync(s => s.GetRequiredService<ConnectDbContext>().Set<InboxMessage>()
            .CountAsync(m => deliveries.Contains(m.MessageId))), n => n == 2);
        Assert.Equal(2, consumed);
        var balance = await client.GetFromJsonAsync<JsonElement>($"/v1/{app}/creators/{creatorId}/balance");
        Assert.Equal((0, 1000, 0), Sums(balance));
    }

    private async Task<string> OnboardedCreatorAsync(HttpClient client, string app)
    {
        var created = await client.PostAsJsonAsync($"/v1/{app}/creators", new { externalId = "creator-" + Guid.NewGuid().ToString("N")[..8], email = "c@example.com" });
        var creatorId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var onboard = await client.PostAsJsonAsync($"/v1/{app}/creators/{creatorId}/connect/onboard", new { returnUrl = ReturnUrl, refreshUrl = RefreshUrl });
        var accountId = (await onboard.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accountId").GetString()!;
        await _sandbox.PostAsync($"/v1/test_helpers/accounts/{accountId}/onboard");
        return creatorId;
    }

    private static Task<JsonElement> BalanceEventuallyAsync(HttpClient client, string app, string creatorId, Func<JsonElement, bool> done) =>
        SystemFixtureWait(() => client.GetFromJsonAsync<JsonElement>($"/v1/{app}/creators/{creatorId}/balance"), done);

    private static (long, long, long) Sums(JsonElement b) =>
        (b.GetProperty("availableCents").GetInt64(), b.GetProperty("pendingCents").GetInt64(), b.GetProperty("carriedForwardCents").GetInt64());

    private static Task<List<Billing.Connect.Model.Payout>> PayoutsAsync(TestService service, string creatorId) =>
        service.InScopeAsync(s => s.GetRequiredService<ConnectDbContext>().Payouts.AsNoTracking().Where(p => p.CreatorId == creatorId).ToListAsync());

    private async Task<List<JsonElement>> TransfersAsync(string payoutId) =>
        (await _sandbox.GetAsync($"/v1/transfers?transfer_group={payoutId}")).GetProperty("data").EnumerateArray().ToList();

    private static Task<T> SystemFixtureWait<T>(Func<Task<T>> read, Func<T, bool> done) => EndToEnd.SystemFixture.EventuallyAsync(read, done);

    /// <summary>Stands in for the process dying right after Stripe made the transfer: nothing after it runs.</summary>
    private sealed class CrashAfterTransfer : PayoutHooks
    {
        public override Task TransferMadeAsync(string payoutId, string transferId, CancellationToken ct) =>
            throw new InvalidOperationException("Simulated crash after the transfer " + transferId);
    }
}
