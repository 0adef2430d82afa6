using System.Net.Http.Json;
using System.Text.Json;
using Billing.Orders;
using Billing.Orders.Infrastructure;
using Billing.Orders.Model;
using Billing.ServiceDefaults.Api;
using Billing.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Tests.Orders;

[Collection(InfrastructureCollection.Name)]
public sealed class OrdersApiTests(InfrastructureFixture infrastructure) : IAsyncLifetime
{
    private TestService _service = null!;

    public async Task InitializeAsync() => _service = await OrdersTestHost.StartAsync(infrastructure);

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Fact]
    public async Task ListOrders_returns_the_apps_orders_with_money_in_minor_units()
    {
        var app = TestApps.NewAppId();
        using (var scope = _service.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OrdersDbContext>();
            db.Orders.Add(new Order { Id = Ids.New("ord"), AppId = app, CustomerId = "cus_1", Kind = OrderKind.Deposit, AmountCents = 2500, Status = OrderStatus.PartiallyRefunded, RefundedCents = 500 });
            await db.SaveChangesAsync();
        }

        var body = await _service.ClientFor(app).GetFromJsonAsync<JsonElement>($"/v1/{app}/billing/orders");

        var order = Assert.Single(body.GetProperty("data").EnumerateArray());
        Assert.Equal(2500, order.GetProperty("amountCents").GetInt64());
        Assert.Equal(500, order.GetProperty("refundedCents").GetInt64());
        Assert.Equal("partially_refunded", order.GetProperty("status").GetString());
        Assert.Equal("deposit", order.GetProperty("kind").GetString());
    }

    [Fact]
    public async Task The_database_refuses_a_refund_larger_than_the_order()
    {
        using var scope = _service.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<OrdersDbContext>();
        db.Orders.Add(new Order { Id = Ids.New("ord"), AppId = TestApps.NewAppId(), CustomerId = "cus_1", AmountCents = 100, RefundedCents = 101 });

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }
}
