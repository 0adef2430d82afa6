using System.Collections.Concurrent;
using System.Diagnostics;
using Billing.Contracts.Stripe;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Billing.Benchmarks.Webhooks;

/// <summary>A consumer of <see cref="InvoicePaid"/> on its own queue, noting when each Stripe event id arrived.</summary>
public sealed class InvoicePaidArrivals : IAsyncDisposable
{
    private const string Queue = "bench-invoice-paid";

    private readonly ConcurrentDictionary<string, long> _at;
    private readonly IHost _host;

    private InvoicePaidArrivals(IHost host, ConcurrentDictionary<string, long> at)
    {
        _host = host;
        _at = at;
    }

    /// <param name="purge">Drop what waits in the queue first (events of an earlier phase nobody consumed).</param>
    public static async Task<InvoicePaidArrivals> StartAsync(string rabbitmq, bool purge = false)
    {
        var at = new ConcurrentDictionary<string, long>();
        var broker = new Uri(rabbitmq);
        var credentials = broker.UserInfo.Split(':');
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton(at);
        builder.Services.Configure<MassTransitHostOptions>(o => o.WaitUntilStarted = true);
        builder.Services.AddMassTransit(bus =>
        {
            bus.AddConsumer<Consumer>();
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(broker.Host, (ushort)broker.Port, "/", host =>
                {
                    host.Username(Uri.UnescapeDataString(credentials[0]));
                    host.Password(Uri.UnescapeDataString(credentials[1]));
                });
                rabbit.ReceiveEndpoint(Queue, endpoint =>
                {
                    endpoint.PurgeOnStartup = purge;
                    endpoint.ConfigureConsumer<Consumer>(context);
                });
            });
        });
        var host = builder.Build();
        await host.StartAsync();
        return new InvoicePaidArrivals(host, at);
    }

    public bool TryGet(string stripeEventId, out long at) => _at.TryGetValue(stripeEventId, out at);

    public int Count => _at.Count;

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

    private sealed class Consumer(ConcurrentDictionary<string, long> at) : IConsumer<InvoicePaid>
    {
        public Task Consume(ConsumeContext<InvoicePaid> context)
        {
            at.TryAdd(context.Message.Origin.StripeEventId, Stopwatch.GetTimestamp());
            return Task.CompletedTask;
        }
    }
}
