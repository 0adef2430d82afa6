using System.Collections.Concurrent;
using Billing.Contracts;
using Billing.Contracts.Subscriptions;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Tests.Gateway;

/// <summary>
/// Publishes <see cref="SubscriptionChanged"/> onto the real RabbitMQ, as the Subscriptions service's
/// outbox relay does, through the bus of an in-process test gateway, and waits until a gateway has
/// consumed a given message (a consume observer on that bus), so a test can assert that a late or
/// repeated event changed nothing.
/// </summary>
public sealed class PlatformSubscriptionEvents : IConsumeObserver, IDisposable
{
    private readonly IBus _bus;
    private readonly IDisposable _observer;
    private readonly ConcurrentDictionary<Guid, int> _consumed = new();

    public PlatformSubscriptionEvents(TestGateway gateway)
    {
        _bus = gateway.Services.GetRequiredService<IBus>();
        _observer = _bus.ConnectConsumeObserver(this);
    }

    /// <summary>A platform subscription of <paramref name="accountId"/> now in <paramref name="status"/>; returns the MessageId.</summary>
    public async Task<Guid> PublishAsync(string accountId, string subscriptionId, string status, long version,
        string appId = PlatformApp.Id, Guid? messageId = null)
    {
        var id = messageId ?? NewId.NextGuid();
        var details = new SubscriptionDetails(subscriptionId, "cus_" + Guid.NewGuid().ToString("N")[..12], accountId, "plan_pro", "price_pro_monthly",
            "month", 1, status, DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow, CancelAtPeriodEnd: false, TrialEnd: null, version);
        await _bus.Publish(new SubscriptionChanged(Guid.NewGuid(), DateTimeOffset.UtcNow, appId, details), context => context.MessageId = id);
        return id;
    }

    /// <summary>Publishes and waits until the gateway consumed the message (acknowledged, duplicate or not).</summary>
    public async Task<Guid> PublishConsumedAsync(string accountId, string subscriptionId, string status, long version,
        string appId = PlatformApp.Id, Guid? messageId = null)
    {
        var before = messageId is { } known ? Consumed(known) : 0;
        var id = await PublishAsync(accountId, subscriptionId, status, version, appId, messageId);
        await WaitConsumedAsync(id, before + 1);
        return id;
    }

    public int Consumed(Guid messageId) => _consumed.GetValueOrDefault(messageId);

    public async Task WaitConsumedAsync(Guid messageId, int times)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (Consumed(messageId) < times && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.True(Consumed(messageId) >= times, $"message {messageId} was consumed {Consumed(messageId)} times, expected {times}");
    }

    Task IConsumeObserver.PreConsume<T>(ConsumeContext<T> context) => Task.CompletedTask;

    Task IConsumeObserver.PostConsume<T>(ConsumeContext<T> context)
    {
        if (context.Message is SubscriptionChanged && context.MessageId is { } id) _consumed.AddOrUpdate(id, 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }

    Task IConsumeObserver.ConsumeFault<T>(ConsumeContext<T> context, Exception exception) => Task.CompletedTask;

    public void Dispose() => _observer.Dispose();
}
