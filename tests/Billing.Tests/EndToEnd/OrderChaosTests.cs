using System.Text.Json;
using Billing.Tests.Infrastructure;

namespace Billing.Tests.EndToEnd;

/// <summary>Duplicated and shuffled webhook delivery (the sandbox's chaos switches) leaves orders and wallets exactly as a clean run does.</summary>
[Collection(InfrastructureCollection.Name)]
public sealed class OrderChaosTests(SystemFixture system) : IClassFixture<SystemFixture>
{
    [Fact]
    public async Task Duplicated_and_shuffled_webhooks_give_the_same_orders_and_balances_as_a_clean_run()
    {
        var clean = await RunScenarioAsync();
        await system.Sandbox.ChaosAsync(("duplicate", "true"), ("shuffle_window", "10"));
        try
        {
            var chaotic = await RunScenarioAsync();

            Assert.Equal(clean, chaotic);
            var deliveries = await system.Sandbox.GetAsync("/v1/test_helpers/webhook_deliveries?limit=100");
            Assert.Contains(deliveries.GetProperty("data").EnumerateArray(), d => d.GetProperty("duplicate").GetBoolean());
        }
        finally
        {
            await system.Sandbox.ChaosAsync(("reset", "true"));
        }
    }

    /// <summary>
    /// Every kind of order and wallet movement, driven by webhooks alone (no verify): the final state of each,
    /// in scenario order, as text, once each reached its end state.
    /// </summary>
    private async Task<List<string>> RunScenarioAsync()
    {
        var steps = new OrderSteps(system, await system.NewTenantAsync());
        var product = await steps.ProductAsync(3000);
        var paid = await steps.PurchaseAsync(product, "b1");
        var refunded = await steps.PurchaseAsync(product, "b2", quantity: 2);
        var declined = await steps.PurchaseAsync(product, "b3");
        var expired = await steps.PurchaseAsync(product, "b4");
        var captured = await steps.PurchaseAsync(product, "b5", captureMethod: "manual");
        var released = await steps.PurchaseAsync(product, "b6", captureMethod: "manual");
        var spent = await steps.DepositAsync("w1", 4000);
        var returned = await steps.DepositAsync("w2", 2000);

        foreach (var session in new[] { paid, refunded, captured, released, spent, returned }) Assert.Equal(200, await steps.PayAsync(session));
        Assert.Equal(402, await steps.PayAsync(declined, "4000000000000002"));
        await system.Sandbox.PostAsync($"/v1/checkout/sessions/{OrderSteps.Id(expired, "sessionId")}/expire");

        await steps.OrderEventuallyAsync(OrderSteps.Id(refunded), "paid");
        await steps.Client.PostAsync(steps.Path($"orders/{OrderSteps.Id(refunded)}/refund"), new { amountCents = 2500 }, 200);
        await steps.OrderEventuallyAsync(OrderSteps.Id(captured), "held");
        await steps.Client.PostAsync(steps.Path($"orders/{OrderSteps.Id(captured)}/capture"), new { amountCents = 1000 }, 200);
        await steps.OrderEventuallyAsync(OrderSteps.Id(released), "held");
        await steps.Client.PostAsync(steps.Path($"orders/{OrderSteps.Id(released)}/release"), new { }, 200);
        var spender = (await steps.OrderEventuallyAsync(OrderSteps.Id(spent), "paid")).GetProperty("customerId").GetString()!;
        await SystemFixture.EventuallyAsync(() => steps.BalanceAsync(spender), b => b == 4000);
        await steps.Client.PostAsync(steps.Path("wallet/charge"), new { customerId = spender, amountCents = 1500, creatorId = "cr_1", description = "Use" }, 201);
        var returner = (await steps.OrderEventuallyAsync(OrderSteps.Id(returned), "paid")).GetProperty("customerId").GetString()!;
        await SystemFixture.EventuallyAsync(() => steps.BalanceAsync(returner), b => b == 2000);
        await steps.Client.PostAsync(steps.Path($"orders/{OrderSteps.Id(returned)}/refund"), new { amountCents = 500 }, 200);

        var expected = new (JsonElement Session, string Status)[]
        {
            (paid, "paid"), (refunded, "partially_refunded"), (declined, "failed"), (expired, "expired"), (captured, "paid"),
            (released, "canceled"), (spent, "paid"), (returned, "partially_refunded"),
        };
        var states = new List<string>();
        foreach (var (session, status) in expected)
        {
            var order = await steps.OrderEventuallyAsync(OrderSteps.Id(session), status);
            states.Add($"{order.GetProperty("kind").GetString()}|{order.GetProperty("status").GetString()}|{order.GetProperty("capturedCents").GetInt64()}"
                + $"|{order.GetProperty("refundedCents").GetInt64()}|{order.GetProperty("refundShortfallCents").GetInt64()}");
        }
        // Late duplicates have had their chance to do harm: let the deliveries drain, then read the balances.
        await Task.Delay(1500);
        states.Add("wallet w1 " + await steps.BalanceAsync(spender));
        states.Add("wallet w2 " + await steps.BalanceAsync(returner));
        return states;
    }
}
