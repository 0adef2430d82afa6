using System.Text;
using Billing.Tests.Infrastructure;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;

namespace Billing.Tests.Messaging;

[Collection(InfrastructureCollection.Name)]
public sealed class DeadLetterTests(InfrastructureFixture infrastructure)
{
    private const string ErrorQueue = "gateway-always-failing_error";

    [Fact]
    public async Task A_message_that_keeps_failing_is_tried_six_times_then_lands_in_the_error_queue_with_its_reason_logged()
    {
        var received = new Received();
        var logs = new LogCapture();
        await using var host = await MessagingTestHost.StartAsync(infrastructure, received, logs);
        var messageId = NewId.NextGuid();
        var reason = $"card declined {Guid.NewGuid():N}";

        await host.Services.GetRequiredService<IBus>().Publish(
            new ChargeAttempted(Guid.NewGuid(), DateTimeOffset.UtcNow, TestApps.NewAppId(), reason), context => context.MessageId = messageId);

        var deadLetter = await WaitForErrorQueueMessageAsync(messageId, TimeSpan.FromSeconds(20));
        Assert.NotNull(deadLetter);
        Assert.Equal(reason, Header(deadLetter, "MT-Fault-Message"));
        // The first delivery and the five retries of the policy.
        Assert.Equal(6, received.Of<ChargeAttempted>(c => c.Reason == reason).Count);
        // The filter logs as the move completes, which can be just after the message shows in the queue.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        bool Logged(LogCapture.Entry e) => e.Category == "Billing.Messaging.DeadLetter" && e.Message.Contains(messageId.ToString());
        while (!logs.Entries.Any(Logged) && DateTime.UtcNow < deadline) await Task.Delay(50);
        var error = Assert.Single(logs.Entries, Logged);
        Assert.Equal(LogLevel.Error, error.Level);
        Assert.Contains(reason, error.Message);
        Assert.Contains("moved to the error queue", error.Message);
    }

    private async Task<BasicGetResult?> WaitForErrorQueueMessageAsync(Guid messageId, TimeSpan timeout)
    {
        var factory = new ConnectionFactory { Uri = new Uri(infrastructure.RabbitMq.ConnectionString) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            // The queue appears with the first dead letter.
            var result = await QueueExistsAsync(connection) ? await channel.BasicGetAsync(ErrorQueue, autoAck: true) : null;
            if (result is null) await Task.Delay(100);
            else if (result.BasicProperties.MessageId == messageId.ToString()) return result;
        }
        return null;
    }

    private static async Task<bool> QueueExistsAsync(IConnection connection)
    {
        // A passive declare of a missing queue closes its channel, so it gets one of its own.
        await using var probe = await connection.CreateChannelAsync();
        try
        {
            await probe.QueueDeclarePassiveAsync(ErrorQueue);
            return true;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return false;
        }
    }

    private static string? Header(BasicGetResult message, string name) =>
        message.BasicProperties.Headers?.TryGetValue(name, out var value) == true
            ? value switch { byte[] bytes => Encoding.UTF8.GetString(bytes), _ => value?.ToString() }
            : null;
}
