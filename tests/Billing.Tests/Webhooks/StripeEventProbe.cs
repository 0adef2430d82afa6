using System.Collections.Concurrent;
using Billing.Contracts.Stripe;
using Billing.Tests.Infrastructure;
using Billing.Webhooks.Ingest;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Billing.Tests.Webhooks;

/// <summary>One normalized event as a consumer on RabbitMQ received it.</summary>
public sealed record ProbedEvent(Guid? MessageId, IStripeIntegrationEvent Message, bool IsReplay);

/// <summary>
/// A plain MassTransit consumer of every Stripe contract on its own queue, with no
/// inbox: it sees every copy the broker delivers, so "published once" can be counted.
/// </summary>
public sealed class StripeEventProbe : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly ConcurrentQueue<ProbedEvent> _events;

    private StripeEventProbe(IHost host, ConcurrentQueue<ProbedEvent> events)
    {
        _host = host;
        _events = events;
    }

    /// <param name="failWhen">Events this consumer throws on (after recording them), to make dead letters.</param>
    public static async Task<StripeEventProbe> StartAsync(InfrastructureFixture infrastructure, Func<IStripeIntegrationEvent, bool>? failWhen = null)
    {
        var events = new ConcurrentQueue<ProbedEvent>();
        var broker = new Uri(infrastructure.RabbitMq.ConnectionString);
        var credentials = broker.UserInfo.Split(':');
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton(events);
        builder.Services.AddSingleton(new FailurePolicy(failWhen ?? (_ => false)));
        builder.Services.Configure<MassTransitHostOptions>(o => o.WaitUntilStarted = true);
        builder.Services.AddMassTransit(bus =>
        {
            var queue = "webhooks-tests-probe-" + Guid.NewGuid().ToString("N")[..8];
            Add<CheckoutSessionCompleted>(bus, queue);
            Add<CheckoutSessionExpired>(bus, queue);
            Add<SubscriptionCreated>(bus, queue);
            Add<SubscriptionUpdated>(bus, queue);
            Add<SubscriptionDeleted>(bus, queue);
            Add<InvoicePaid>(bus, queue);
            Add<InvoicePaymentFailed>(bus, queue);
            Add<PaymentIntentSucceeded>(bus, queue);
            Add<PaymentIntentFailed>(bus, queue);
            Add<PaymentIntentCapturable>(bus, queue);
            Add<ChargeRefunded>(bus, queue);
            Add<AccountUpdated>(bus, queue);
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(broker.Host, (ushort)broker.Port, "/", host =>
                {
                    host.Username(Uri.UnescapeDataString(credentials[0]));
                    host.Password(Uri.UnescapeDataString(credentials[1]));
                });
                rabbit.ConfigureEndpoints(context);
            });
        });
        var host = builder.Build();
        await host.StartAsync();
        return new StripeEventProbe(host, events);
    }

    private static void Add<T>(IBusRegistrationConfigurator bus, string queue) where T : class, IStripeIntegrationEvent =>
        // Durable, unlike a temporary queue: it must outlive a broker restart, or events the relay
        // publishes before the probe reconnects would have nowhere to land.
        bus.AddConsumer<Consumer<T>>().Endpoint(e => e.Name = queue);

    public IReadOnlyList<ProbedEvent> Of(Func<IStripeIntegrationEvent, bool> match) => _events.Where(e => match(e.Message)).ToList();

    /// <summary>Waits until at least <paramref name="count"/> matching events arrived or the time is up; returns them all.</summary>
    public async Task<IReadOnlyList<ProbedEvent>> WaitForAsync(Func<IStripeIntegrationEvent, bool> match, int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (Of(match).Count < count && DateTime.UtcNow < deadline) await Task.Delay(20);
        return Of(match);
    }

    /// <summary>Waits a little for anything unexpected to arrive, then returns what matched.</summary>
    public async Task<IReadOnlyList<ProbedEvent>> SettleAsync(Func<IStripeIntegrationEvent, bool> match, TimeSpan? quiet = null)
    {
        await Task.Delay(quiet ?? TimeSpan.FromSeconds(1));
        return Of(match);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

    private sealed record FailurePolicy(Func<IStripeIntegrationEvent, bool> FailWhen);

    private sealed class Consumer<T>(ConcurrentQueue<ProbedEvent> events, FailurePolicy failure) : IConsumer<T> where T : class, IStripeIntegrationEvent
    {
        public Task Consume(ConsumeContext<T> context)
        {
            var replay = context.Headers.Get<string>(EventReplayer.ReplayHeader) == "true";
            events.Enqueue(new ProbedEvent(context.MessageId, context.Message, replay));
            if (failure.FailWhen(context.Message))
                throw new InvalidOperationException($"The probe refuses {context.Message.Origin.StripeEventId}.");
            return Task.CompletedTask;
        }
    }
}
