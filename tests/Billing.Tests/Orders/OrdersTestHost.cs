using System.Text.Json;
using Billing.Contracts.Wallet;
using Billing.Orders;
using Billing.Orders.Infrastructure;
using Billing.Orders.Model;
using Billing.Orders.Payments;
using Billing.ServiceDefaults.Api;
using Billing.ServiceDefaults.Http;
using Billing.ServiceDefaults.Messaging;
using Billing.Tests.Infrastructure;
using Billing.Tests.Subscriptions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Tests.Orders;

/// <summary>The Orders service in tests, and the few steps and reads its tests share (customers, paid deposits without a browser, ledger and outbox reads).</summary>
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

    /// <summary>A new app with one customer whose wallet holds <paramref name="cents"/>, and a client calling as that app's secret key.</summary>
    public static async Task<(string App, string Customer, HttpClient Client)> FundedAsync(this TestService orders, long cents)
    {
        var app = TestApps.NewAppId();
        var customer = await orders.CustomerAsync(app);
        await orders.PaidDepositAsync(app, customer, cents);
        return (app, customer, orders.ClientFor(app));
    }

    public static Task<T> InDbAsync<T>(this TestService orders, Func<OrdersDbContext, Task<T>> read) =>
        orders.InScopeAsync(s => read(s.GetRequiredService<OrdersDbContext>()));

    /// <summary>A ledger account's balance, summed from its lines.</summary>
    public static Task<long> LedgerBalanceAsync(this TestService orders, string app, string account) =>
        orders.InDbAsync(db => db.LedgerLines.Where(l => l.AppId == app && l.Account == account).SumAsync(l => l.AmountCents));

    /// <summary>The wallet row's cached balance (kept beside the lines; tests check the two agree).</summary>
    public static Task<long> CachedBalanceAsync(this TestService orders, string app, string customer) =>
        orders.InDbAsync(db => db.Wallets.Where(w => w.AppId == app && w.CustomerId == customer).Select(w => w.BalanceCents).SingleAsync());

    /// <summary>The app's <c>WalletCharged</c> or <c>WalletChargeRefunded</c> events staged in the outbox, oldest first.</summary>
    public static Task<List<T>> WalletEventsAsync<T>(this TestService orders, string app) where T : class => orders.InDbAsync(async db =>
    {
        var bodies = await db.Set<OutboxMessage>().AsNoTracking().Where(m => m.MessageType.StartsWith(typeof(T).FullName!))
            .OrderBy(m => m.Sequence).Select(m => m.Body).ToListAsync();
        return bodies.Select(b => JsonSerializer.Deserialize<T>(b, JsonDefaults.Options)!)
            .Where(e => e is WalletCharged c ? c.AppId == app : e is WalletChargeRefunded r && r.AppId == app).ToList();
    });
}
