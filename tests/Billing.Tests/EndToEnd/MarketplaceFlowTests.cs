using Billing.Tests.Infrastructure;

namespace Billing.Tests.EndToEnd;

/// <summary>
/// The marketplace across services, with nothing published by the test: a customer funds the wallet on the
/// sandbox's checkout (Orders), spends it on a creator's item (Orders' ledger, WalletCharged through its
/// outbox), the creator earns the share after the app's fee (Connect's inbox), a refund claws it back, and
/// the rest is paid out through a Stripe transfer.
/// </summary>
[Collection(InfrastructureCollection.Name)]
public sealed class MarketplaceFlowTests(SystemFixture system) : IClassFixture<SystemFixture>
{
    [Fact]
    public async Task Wallet_charges_become_the_creators_earnings_refunds_claw_back_and_the_rest_is_paid_out()
    {
        var tenant = await system.NewTenantAsync();
        var orders = new OrderSteps(system, tenant);
        var connect = new ConnectSteps(system, tenant);
        var creatorId = await connect.OnboardedCreatorAsync();

        var buyer = "buyer-" + Guid.NewGuid().ToString("N")[..8];
        var deposit = await orders.DepositAsync(buyer, 5000);
        Assert.Equal(200, await orders.PayAsync(deposit));
        var verified = await orders.Client.GetAsync(orders.Path("wallet/verify?sessionId=" + OrderSteps.Id(deposit, "sessionId")), 200);
        Assert.True(verified.GetProperty("deposited").GetBoolean());

        var charge = await orders.Client.PostAsync(orders.Path("wallet/charge"),
            new { customerExternalId = buyer, amountCents = 2000, creatorId, description = "Beat pack" }, 201);
        Assert.Equal((400L, 1600L, 3000L), (charge.GetProperty("feeCents").GetInt64(), charge.GetProperty("creatorCents").GetInt64(),
            charge.GetProperty("balanceCents").GetInt64()));
        var second = await orders.Client.PostAsync(orders.Path("wallet/charge"),
            new { customerExternalId = buyer, amountCents = 1000, creatorId, description = "Sample" }, 201);
        await connect.BalanceEventuallyAsync(creatorId, 1600 + 800);

        // Half of the first charge back to the buyer: the creator's share of it (800) leaves their earnings.
        await orders.Client.PostAsync(orders.Path($"wallet/charges/{charge.GetProperty("id").GetString()}/refund"), new { amountCents = 1000 }, 200);
        var afterRefund = await connect.BalanceEventuallyAsync(creatorId, 1600);
        Assert.Equal(0, afterRefund.GetProperty("availableCents").GetInt64());
        Assert.Equal(5000 - 2000 - 1000 + 1000, await orders.BalanceAsync(charge.GetProperty("customerId").GetString()!));

        system.ConnectClock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        var payout = await connect.PayoutAsync(creatorId);
        Assert.Equal(("paid", 1600L), (payout.GetProperty("status").GetString(), payout.GetProperty("amountCents").GetInt64()));
        var transfer = Assert.Single(await connect.TransfersAsync(payout.GetProperty("id").GetString()!));
        Assert.Equal(1600, transfer.GetProperty("amount").GetInt64());
        Assert.NotEqual(charge.GetProperty("id").GetString(), second.GetProperty("id").GetString());
    }
}
