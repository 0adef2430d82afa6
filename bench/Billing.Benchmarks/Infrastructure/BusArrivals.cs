using System.Collections.Concurrent;
using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Billing.Benchmarks.Infrastructure;

/// <summary>
/// A bystander on the bus: consumers of the chosen message types on a queue of its own (so the
/// services' consumers still get every message), noting when each message arrived (Stopwatch
/// timestamp) under a key the benchmark chooses (a Stripe event id, a subscription and quantity...).
/// </summary>
public sealed class BusArrivals : IAsyncDisposable
{
    private readonly ConcurrentDictionary<(Type, string), long> _at;
    private readonly IHost _host;

    private BusArrivals(IHost host, ConcurrentDictionary<(Type, string), long> at)
    {
        _host = host;
        _at = at;
    }

    /// <summary>Which messages to note, and the key of each.</summary>
    public sealed class Keys
    {
        internal Dictionary<Type, Func<object, string>> Selectors { get; } = [];

        public Keys On<T>(Func<T, string> key) where T : class
        {
            Selectors[typeof(T)] = message => key((T)message);
            return this;
        }
    }

    /// <param name="purge">Drop what waits in the queue first (messages of an earlier phase nobody consumed).</param>
    public static async Task<BusArrivals> StartAsync(string rabbitmq, string queue, bool purge, Action<Keys> configure)
    {
        var keys = new Keys();
        configure(keys);
        var at = new ConcurrentDictionary<(Type, string), long>();
        var broker = new Uri(rabbitmq);
        var credentials = broker.UserInfo.Split(':');
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton(at);
        builder.Services.AddSingleton(keys);
        builder.Services.Configure<MassTransitHostOptions>(o => o.WaitUntilStarted = true);
        var consumers = keys.Selectors.Keys.Select(t => typeof(Consumer<>).MakeGenericType(t)).ToList();
        builder.Services.AddMassTransit(bus =>
        {
            foreach (var consumer in consumers) bus.AddConsumer(consumer);
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(broker.Host, (ushort)broker.Port, "/", host =>
                {
                    host.Username(Uri.UnescapeDataString(credentials[0]));
                    host.Password(Uri.UnescapeDataString(credentials[1]));
                });
                rabbit.ReceiveEndpoint(queue, endpoint =>
                {
                    endpoint.PurgeOnStartup = purge;
                    foreach (var consumer in consumers) endpoint.ConfigureConsumer(context, consumer);
                });
            });
        });
        var host = builder.Build();
        await host.StartAsync();
        return new BusArrivals(host, at);
    }

    public bool TryGet<T>(string key, out long at) => _at.TryGetValue((typeof(T), key), out at);

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

    private sealed class Consumer<T>(ConcurrentDictionary<(Type, string), long> at, Keys keys) : IConsumer<T> where T : class
    {
        public Task Consume(ConsumeContext<T> context)
        {
            at.TryAdd((typeof(T), keys.Selectors[typeof(T)](context.Message)), Stopwatch.GetTimestamp());
            return Task.CompletedTask;
        }
    }
}
