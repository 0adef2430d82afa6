using System.Collections.Concurrent;
using Billing.Tests.Infrastructure;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Tests.Messaging;

[Collection(InfrastructureCollection.Name)]
public sealed class InboxConsumerTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task The_same_MessageId_delivered_seven_times_some_concurrently_has_one_effect_and_every_delivery_is_acknowledged()
    {
        await using var host = await MessagingTestHost.StartAsync(infrastructure, new Received());
        var bus = host.Services.GetRequiredService<IBus>();
        var deliveries = new DeliveryCounter();
        using var observer = bus.ConnectConsumeObserver(deliveries);
        var app = TestApps.NewAppId();
        var messageId = NewId.NextGuid();
        var credit = new CreditRequested(Guid.NewGuid(), DateTimeOffset.UtcNow, app, Guid.NewGuid().ToString("N"), 2500);

        await bus.Publish(credit, context => context.MessageId = messageId);
        await bus.Publish(credit, context => context.MessageId = messageId);
        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => bus.Publish(credit, context => context.MessageId = messageId)));

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (deliveries.Acknowledged(messageId) + deliveries.Faulted(messageId) < 7 && DateTime.UtcNow < deadline) await Task.Delay(20);

        Assert.Equal(7, deliveries.Acknowledged(messageId));
        Assert.Equal(0, deliveries.Faulted(messageId));
        Assert.Equal(1, await SchemaQueries.CountAsync(infrastructure,
            "select count(*) from messaging_test_ledger where id = @id", ("id", credit.EntryId)));
        Assert.Equal(1, await SchemaQueries.CountAsync(infrastructure,
            "select count(*) from inbox_messages where message_id = @id", ("id", messageId)));
        // The event the handler staged committed with its effect, once.
        Assert.Equal(1, await SchemaQueries.CountAsync(infrastructure,
            "select count(*) from outbox_messages where body->>'entryId' = @id", ("id", credit.EntryId)));
    }

    [Fact]
    public async Task A_handler_that_fails_twice_then_succeeds_leaves_exactly_one_effect()
    {
        var received = new Received();
        await using var host = await MessagingTestHost.StartAsync(infrastructure, received);
        var credit = new FlakyCreditRequested(Guid.NewGuid(), DateTimeOffset.UtcNow, TestApps.NewAppId(), Guid.NewGuid().ToString("N"), 700);
        var messageId = NewId.NextGuid();

        await host.Services.GetRequiredService<IBus>().Publish(credit, context => context.MessageId = messageId);

        Assert.Equal(1, await SchemaQueries.EventuallyCountAsync(infrastructure, 1,
            "select count(*) from inbox_messages where message_id = @id", ("id", messageId)));
        Assert.Equal(3, received.Of<FlakyCreditRequested>(c => c.EntryId == credit.EntryId).Count);
        Assert.Equal(1, await SchemaQueries.CountAsync(infrastructure,
            "select count(*) from messaging_test_ledger where id = @id", ("id", credit.EntryId)));
    }

    private sealed class DeliveryCounter : IConsumeObserver
    {
        private readonly ConcurrentDictionary<Guid, int> _acknowledged = new();
        private readonly ConcurrentDictionary<Guid, int> _faulted = new();

        public int Acknowledged(Guid id) => _acknowledged.GetValueOrDefault(id);
        public int Faulted(Guid id) => _faulted.GetValueOrDefault(id);

        public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

        public Task PostConsume<T>(ConsumeContext<T> context) where T : class
        {
            if (context.Message is CreditRequested && context.MessageId is { } id) _acknowledged.AddOrUpdate(id, 1, (_, n) => n + 1);
            return Task.CompletedTask;
        }

        public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class
        {
            if (context.Message is CreditRequested && context.MessageId is { } id) _faulted.AddOrUpdate(id, 1, (_, n) => n + 1);
            return Task.CompletedTask;
        }
    }
}
