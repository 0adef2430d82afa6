using Billing.Orders;
using Billing.Orders.Infrastructure;
using Billing.Orders.Model;
using Billing.Orders.Payments;
using Billing.ServiceDefaults.Api;
using Billing.Tests.Infrastructure;
using Billing.Tests.Subscriptions;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Tests.Orders;

/// <summary>The Orders service in tests, and the few steps its tests share (customers and paid deposits without a browser).</summary>
public static class OrdersTestHost
{
    /// <param name="stripeApiBase">The sandbox's address; none for tests that never reach Stripe.</param>
    public static Task<TestService> StartAsync(InfrastructureFixture infrastructure, string? stripeApiBase = null) =>
        TestService.StartAsync(OrdersService.Build, infrastructure, OrdersService.Name, SubscriptionsTestHost.Settings(stripeApiBase));

    /// <summary>A customer of Orders' mirror.</summary>
    public static Task<string> CustomerAsync(this TestService orders, string app) => orders.InScopeAsync(async services =>
    {
        var db = services.GetRequiredService<OrdersDbContext>();
        var customer = new Customer { Id = Ids.New("cus"), AppId = app, ExternalId = "user-" + Guid.NewGuid().ToString("N")[..10] };
        db.Customers.Add(customer);
        await db.SaveChangesAsync();
        return customer.Id;
    });

    /// <summary>
    /// A deposit order whose Checkout Session Stripe reports paid, applied by the same code the webhook
    /// and verify use (no Stripe call is needed for a session already known paid).
    /// </summary>
    public static Task<string> PaidDepositAsync(this TestService orders, string app, string customerId, long cents) => orders.InScopeAsync(async services =>
    {
        var db = services.GetRequiredService<OrdersDbContext>();
        var order = new Order
        {
            Id = Ids.New("ord"), AppId = app, CustomerId = customerId, Kind = OrderKind.Deposit, AmountCents = cents,
            StripeCheckoutSessionId = "cs_test_" + Guid.NewGuid().ToString("N"),
        };
        db.Orders.Add(order);
        await db.SaveChangesAsync();
        await services.GetRequiredService<OrderPayments>()
            .SessionCompletedAsync(app, order.StripeCheckoutSessionId, "pi_test_" + Guid.NewGuid().ToString("N"), "paid", cents, CancellationToken.None);
        return order.Id;
    });
}
