using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Billing.Contracts.Connect;
using Billing.Orders.Infrastructure;
using Billing.Tests.Infrastructure;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Tests.EndToEnd;

/// <summary>One-time purchases, held deposits and the wallet as an app and its customers use them: the gateway, the services, the sandbox and its webhooks.</summary>
[Collection(InfrastructureCollection.Name)]
public sealed class OrderFlowTests(SystemFixture system) : IClassFixture<SystemFixture>
{
    [Fact]
    public async Task A_product_paid_by_card_is_paid_then_refunded_partly_then_fully_and_never_beyond()
    {
        var steps = new OrderSteps(system, await system.NewTenantAsync());
        var product = await steps.ProductAsync(2500);
        var session = await steps.PurchaseAsync(product, "buyer-1", quantity: 2);

        Assert.Equal(200, await steps.PayAsync(session));
        var paid = await steps.OrderEventuallyAsync(OrderSteps.Id(session), "paid");
        Assert.Equal(("paid", 5000L, 5000L), (paid.GetProperty("status").GetString(), paid.GetProperty("amountCents").GetInt64(), paid.GetProperty("capturedCents").GetInt64()));
        Assert.Equal("c1", paid.GetProperty("metadata").GetProperty("cart").GetString());

        var partly = await steps.Client.PostAsync(steps.Path($"orders/{OrderSteps.Id(session)}/refund"), new { amountCents = 1200 }, 200);
        Assert.Equal(("partially_refunded", 1200L), (partly.GetProperty("status").GetString(), partly.GetProperty("refundedCents").GetInt64()));
        var fully = await steps.Client.PostAsync(steps.Path($"orders/{OrderSteps.Id(session)}/refund"), new { }, 200);
        Assert.Equal(("refunded", 5000L), (fully.GetProperty("status").GetString(), fully.GetProperty("refundedCents").GetInt64()));
        var beyond = await steps.Client.PostAsync(steps.Path($"orders/{OrderSteps.Id(session)}/refund"), new { amountCents = 1 }, 409);
        Assert.Equal("conflict", beyond.GetProperty("code").GetString());

        var intent = paid.GetProperty("stripe").GetProperty("paymentIntentId").GetString();
        var refunds = await system.Sandbox.GetAsync($"/v1/refunds?payment_intent={intent}");
        Assert.Equal(5000, refunds.GetProperty("data").EnumerateArray().Sum(r => r.GetProperty("amount").GetInt64()));
        // The charge.refunded webhooks that follow change nothing more.
        await Task.Delay(500);
        Assert.Equal(5000, (await steps.OrderAsync(OrderSteps.Id(session))).GetProperty("refundedCents").GetInt64());
    }

    [Fact]
    public async Task A_declined_card_fails_the_order_and_an_expired_checkout_expires_it()
    {
        var steps = new OrderSteps(system, await system.NewTenantAsync());
        var product = await steps.ProductAsync(1500);
        var declined = await steps.PurchaseAsync(product, "buyer-d");
        var abandoned = await steps.PurchaseAsync(product, "buyer-e");

        Assert.Equal(402, await steps.PayAsync(declined, "4000000000000002"));
        await system.Sandbox.PostAsync($"/v1/checkout/sessions/{OrderSteps.Id(abandoned, "sessionId")}/expire");

        Assert.Equal("failed", (await steps.OrderEventuallyAsync(OrderSteps.Id(declined), "failed")).GetProperty("status").GetString());
        Assert.Equal("expired", (await steps.OrderEventuallyAsync(OrderSteps.Id(abandoned), "expired")).GetProperty("status").GetString());
        var failed = await steps.Client.GetAsync(steps.Path("orders?status=failed"), 200);
        Assert.Equal(OrderSteps.Id(declined), Assert.Single(failed.GetProperty("data").EnumerateArray()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_held_deposit_is_captured_partly_and_another_is_released()
    {
        var steps = new OrderSteps(system, await system.NewTenantAsync());
        var product = await steps.ProductAsync(10_000);
        var kept = await steps.PurchaseAsync(product, "guest-1", captureMethod: "manual");
        var dropped = await steps.PurchaseAsync(product, "guest-2", captureMethod: "manual");
        Assert.Equal(200, await steps.PayAsync(kept));
        Assert.Equal(200, await steps.PayAsync(dropped));
        Assert.Equal("held", (await steps.OrderEventuallyAsync(OrderSteps.Id(kept), "held")).GetProperty("status").GetString());
        Assert.Equal("held", (await steps.OrderEventuallyAsync(OrderSteps.Id(dropped), "held")).GetProperty("status").GetString());

        var captured = await steps.Client.PostAsync(steps.Path($"orders/{OrderSteps.Id(kept)}/capture"), new { amountCents = 6000 }, 200);
        var released = await steps.Client.PostAsync(steps.Path($"orders/{OrderSteps.Id(dropped)}/release"), new { }, 200);

        Assert.Equal(("paid", 6000L), (captured.GetProperty("status").GetString(), captured.GetProperty("capturedCents").GetInt64()));
        Assert.Equal("canceled", released.GetProperty("status").GetString());
        // The webhooks of both (succeeded, canceled) arrive later and agree.
        await Task.Delay(500);
        Assert.Equal(6000, (await steps.OrderAsync(OrderSteps.Id(kept))).GetProperty("capturedCents").GetInt64());
        Assert.Equal("canceled", (await steps.OrderAsync(OrderSteps.Id(dropped))).GetProperty("status").GetString());
        // Never more than captured: 6000 of the 10000 authorized.
        await steps.Client.PostAsync(steps.Path($"orders/{OrderSteps.Id(kept)}/refund"), new { amountCents = 6001 }, 409);
    }

    [Fact]
    public async Task Deposits_of_5_and_500_dollars_are_credited_and_4_99_and_500_01_refused()
    {
        var steps = new OrderSteps(system, await system.NewTenantAsync());
        var low = await steps.DepositAsync("wallet-1", 500);
        var high = await steps.DepositAsync("wallet-1", 50_000);
        foreach (var cents in new[] { 499L, 50_001L })
            Assert.Equal("deposit_out_of_range", (await steps.DepositAsync("wallet-1", cents, 400)).GetProperty("code").GetString());

        Assert.Equal(200, await steps.PayAsync(low));
        Assert.Equal(200, await steps.PayAsync(high));
        var verified = await steps.Client.GetAsync(steps.Path("wallet/verify?sessionId=" + OrderSteps.Id(high, "sessionId")), 200);

        Assert.True(verified.GetProperty("deposited").GetBoolean());
        Assert.Equal(50_000, verified.GetProperty("amountCents").GetInt64());
        var customer = (await steps.OrderAsync(OrderSteps.Id(low))).GetProperty("customerId").GetString()!;
        var balance = await SystemFixture.EventuallyAsync(() => steps.BalanceAsync(customer), b => b == 50_500);
        Assert.Equal(50_500, balance);
        var ledger = await steps.Client.GetAsync(steps.Path("wallet/transactions?customerId=" + customer), 200);
        Assert.Equal([500L, 50_000L], ledger.GetProperty("data").EnumerateArray().Select(t => t.GetProperty("amountCents").GetInt64()).Order());
    }

    [Fact]
    public async Task Verify_called_five_times_at_once_while_the_webhook_arrives_credits_once()
    {
        var steps = new OrderSteps(system, await system.NewTenantAsync());
        var deposit = await steps.DepositAsync("wallet-2", 2500);

        var pay = steps.PayAsync(deposit);
        var verifies = Enumerable.Range(0, 5).Select(_ => steps.Client.GetAsync(steps.Path("wallet/verify?sessionId=" + OrderSteps.Id(deposit, "sessionId")), 200)).ToList();
        Assert.Equal(200, await pay);
        await Task.WhenAll(verifies);
        var again = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => steps.Client.GetAsync(steps.Path("wallet/verify?sessionId=" + OrderSteps.Id(deposit, "sessionId")), 200)));

        Assert.All(again, v => Assert.Equal((true, 2500L), (v.GetProperty("deposited").GetBoolean(), v.GetProperty("amountCents").GetInt64())));
        var order = await steps.OrderEventuallyAsync(OrderSteps.Id(deposit), "paid");
        await Task.Delay(500); // the webhooks of the payment land too
        var customer = order.GetProperty("customerId").GetString()!;
        Assert.Equal(2500, await steps.BalanceAsync(customer));
        var ledger = await steps.Client.GetAsync(steps.Path("wallet/transactions?customerId=" + customer), 200);
        Assert.Single(ledger.GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task A_refunded_deposit_takes_back_what_the_wallet_holds_and_reports_what_was_spent()
    {
        var steps = new OrderSteps(system, await system.NewTenantAsync());
        var deposit = await steps.DepositAsync("wallet-3", 3000);
        Assert.Equal(200, await steps.PayAsync(deposit));
        await steps.Client.GetAsync(steps.Path("wallet/verify?sessionId=" + OrderSteps.Id(deposit, "sessionId")), 200);
        var customer = (await steps.OrderAsync(OrderSteps.Id(deposit))).GetProperty("customerId").GetString()!;
        await steps.Client.PostAsync(steps.Path("wallet/charge"), new { customerId = customer, amountCents = 2000, creatorId = "cr_1", description = "Spent" }, 201);

        var refunded = await steps.Client.PostAsync(steps.Path($"orders/{OrderSteps.Id(deposit)}/refund"), new { }, 200);

        Assert.Equal(("refunded", 3000L, 2000L), (refunded.GetProperty("status").GetString(), refunded.GetProperty("refundedCents").GetInt64(),
            refunded.GetProperty("refundShortfallCents").GetInt64()));
        Assert.Equal(0, await steps.BalanceAsync(customer));
    }

    [Fact]
    public async Task Sales_of_an_app_with_a_connected_account_are_destination_charges_with_the_platform_fee()
    {
        var steps = new OrderSteps(system, await system.NewTenantAsync());
        var account = await OnboardedAccountAsync();
        await system.Orders.Services.GetRequiredService<IBus>().Publish(
            new ConnectAccountChanged(Guid.NewGuid(), DateTimeOffset.UtcNow, steps.App, account, true, true, true, Version: 2));
        // An older version arriving late changes nothing.
        await system.Orders.Services.GetRequiredService<IBus>().Publish(
            new ConnectAccountChanged(Guid.NewGuid(), DateTimeOffset.UtcNow, steps.App, account, false, false, false, Version: 1));
        var enabled = await SystemFixture.EventuallyAsync(() => system.Orders.InScopeAsync(s =>
            s.GetRequiredService<OrdersDbContext>().ConnectAccounts.AnyAsync(a => a.AppId == steps.App && a.ChargesEnabled)), ok => ok);
        Assert.True(enabled);
        var product = await steps.ProductAsync(4000);

        var session = await steps.PurchaseAsync(product, "buyer-c");
        Assert.Equal(200, await steps.PayAsync(session));
        var paid = await steps.OrderEventuallyAsync(OrderSteps.Id(session), "paid");

        Assert.Equal(account, paid.GetProperty("stripe").GetProperty("destinationAccountId").GetString());
        var transfers = await system.Sandbox.GetAsync($"/v1/transfers?destination={account}");
        // 5 % platform fee (Orders:PlatformFeeBasisPoints default 500): the account gets 3800 of 4000.
        Assert.Equal(3800, Assert.Single(transfers.GetProperty("data").EnumerateArray()).GetProperty("amount").GetInt64());
    }

    [Fact]
    public async Task BillStack_checkout_in_payment_mode_is_a_purchase_for_the_Subscriptions_customer()
    {
        var steps = new OrderSteps(system, await system.NewTenantAsync());
        var product = await steps.ProductAsync(1900);
        var priceId = (await steps.Client.GetAsync(steps.Path("products/" + product), 200)).GetProperty("priceId").GetString();
        var customer = await steps.Billing.CustomerAsync();

        var session = await steps.Client.PostAsync(steps.Path("checkout"), new
        {
            customerId = customer, priceId, mode = "payment", quantity = 3, successUrl = BillingSteps.SuccessUrl, cancelUrl = BillingSteps.CancelUrl,
        }, 201);
        Assert.Equal(200, await steps.PayAsync(session));
        var paid = await steps.OrderEventuallyAsync(OrderSteps.Id(session), "paid");

        Assert.Equal((customer, product, 5700L), (paid.GetProperty("customerId").GetString(), paid.GetProperty("productId").GetString(), paid.GetProperty("capturedCents").GetInt64()));
        // The same customer id names the customer's wallet too.
        await steps.Client.PostAsync(steps.Path("wallet/deposit"), new
        {
            customerId = customer, amountCents = 1000, successUrl = BillingSteps.SuccessUrl, cancelUrl = BillingSteps.CancelUrl,
        }, 201);
    }

    [Fact]
    public async Task Another_apps_orders_and_wallet_are_404()
    {
        var steps = new OrderSteps(system, await system.NewTenantAsync());
        var other = new OrderSteps(system, await system.NewTenantAsync());
        var deposit = await steps.DepositAsync("wallet-4", 800);
        var customer = (await steps.OrderAsync(OrderSteps.Id(deposit))).GetProperty("customerId").GetString();

        await other.Client.GetAsync(other.Path("orders/" + OrderSteps.Id(deposit)), 404);
        await other.Client.PostAsync(other.Path($"orders/{OrderSteps.Id(deposit)}/refund"), new { }, 404);
        await other.Client.GetAsync(other.Path("wallet?customerId=" + customer), 404);
        await other.Client.GetAsync(other.Path("wallet/verify?sessionId=" + OrderSteps.Id(deposit, "sessionId")), 404);
        await other.Client.GetAsync(steps.Path("orders/" + OrderSteps.Id(deposit)), 404);
        Assert.Empty((await other.Client.GetAsync(other.Path("orders"), 200)).GetProperty("data").EnumerateArray());
    }

    private async Task<string> OnboardedAccountAsync()
    {
        var account = (await system.Sandbox.PostAsync("/v1/accounts", ("type", "express"), ("country", "US"))).GetProperty("id").GetString()!;
        var link = await system.Sandbox.PostAsync("/v1/account_links", ("account", account), ("type", "account_onboarding"),
            ("refresh_url", "https://shop.example.com/refresh"), ("return_url", "https://shop.example.com/return"));
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var submit = await browser.PostAsync(link.GetProperty("url").GetString(), new FormUrlEncodedContent([new("name", "Jenny Rosen")]));
        Assert.Equal(HttpStatusCode.Redirect, submit.StatusCode);
        return account;
    }
}
