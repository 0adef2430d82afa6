using System.Collections.Concurrent;
using Billing.Contracts.Catalog;
using Billing.Tests.Infrastructure;
using MassTransit;

namespace Billing.Tests.Catalog;

/// <summary>
/// A bus of its own, subscribed to PlanChanged and ProductChanged on a temporary queue, as another
/// service would be: what the Catalog publishes through its outbox arrives here.
/// </summary>
public sealed class CatalogEventProbe : IAsyncDisposable
{
    private readonly IBusControl _bus;
    private readonly ConcurrentQueue<PlanChanged> _plans = new();
    private readonly ConcurrentQueue<ProductChanged> _products = new();

    private CatalogEventProbe(string rabbitMq)
    {
        var address = new Uri(rabbitMq);
        var credentials = Uri.UnescapeDataString(address.UserInfo).Split(':', 2);
        _bus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(address.Host, (ushort)address.Port, "/", host =>
            {
                host.Username(credentials[0]);
                host.Password(credentials.ElementAtOrDefault(1) ?? "");
            });
            rabbit.ReceiveEndpoint($"catalog-tests-probe-{Guid.NewGuid():N}", endpoint =>
            {
                endpoint.AutoDelete = true;
                endpoint.Durable = false;
                endpoint.Handler<PlanChanged>(context => { _plans.Enqueue(context.Message); return Task.CompletedTask; });
                endpoint.Handler<ProductChanged>(context => { _products.Enqueue(context.Message); return Task.CompletedTask; });
            });
        });
    }

    public static async Task<CatalogEventProbe> StartAsync(InfrastructureFixture infrastructure)
    {
        var probe = new CatalogEventProbe(infrastructure.RabbitMq.ConnectionString);
        await probe._bus.StartAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        return probe;
    }

    public IReadOnlyList<PlanChanged> Plans(string planId) => _plans.Where(p => p.Plan.Id == planId).ToList();

    public IReadOnlyList<ProductChanged> Products(string productId) => _products.Where(p => p.Product.Id == productId).ToList();

    /// <summary>Waits until <paramref name="done"/> holds for the received messages, or a minute passed.</summary>
    public static async Task<IReadOnlyList<T>> WaitAsync<T>(Func<IReadOnlyList<T>> read, Func<IReadOnlyList<T>, bool> done)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (!done(read()) && DateTime.UtcNow < deadline) await Task.Delay(50);
        return read();
    }

    public async ValueTask DisposeAsync() => await _bus.StopAsync();
}
