using System.Text.Json;
using Billing.Contracts.Stripe;
using Billing.ServiceDefaults.Api;
using Billing.ServiceDefaults.Http;
using Billing.ServiceDefaults.Messaging;
using Billing.Webhooks.Infrastructure;
using Billing.Webhooks.Model;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Billing.Webhooks.IntegrationEvents;

/// <summary>
/// Records a consumer's failure on an event we published. When any service's consumer gives up
/// after its retries, MassTransit moves the message to that consumer's <c>_error</c> queue and
/// publishes a <see cref="Fault{T}"/>; this inbox consumer stores the fault once in
/// <c>dead_letters</c>, which <c>GET /v1/admin/dead-letters</c> lists.
/// </summary>
public sealed class DeadLetterRecorder<TEvent>(WebhooksDbContext db) : InboxConsumer<Fault<TEvent>, WebhooksDbContext>(db)
    where TEvent : class, IStripeIntegrationEvent
{
    public const string Queue = WebhooksService.Name + "-dead-letters";

    protected override string ConsumerName => $"{WebhooksService.Name}.dead-letters.{typeof(TEvent).Name}";

    protected override async Task HandleAsync(ConsumeContext<Fault<TEvent>> context)
    {
        var fault = context.Message;
        // In the inbox transaction, with the dead letter: the event's state says a consumer gave up on it.
        await Db.ReceivedEvents.Where(e => e.StripeEventId == fault.Message.Origin.StripeEventId)
            .ExecuteUpdateAsync(set => set.SetProperty(e => e.Status, ProcessingStatus.Failed), context.CancellationToken);
        var exception = fault.Exceptions?.FirstOrDefault();
        Db.DeadLetters.Add(new DeadLetter
        {
            Id = Ids.New("dlq"),
            MessageId = fault.FaultedMessageId,
            MessageType = typeof(TEvent).Name,
            AppId = fault.Message.AppId,
            StripeEventId = fault.Message.Origin.StripeEventId,
            // The fault is sent from the failing consumer's receive endpoint: its queue names the consumer.
            Consumer = context.SourceAddress?.AbsolutePath.Trim('/'),
            Reason = exception?.Message ?? "unknown",
            ExceptionType = exception?.ExceptionType,
            Message = JsonSerializer.Serialize(fault.Message, JsonDefaults.Options),
            FailedAt = fault.Timestamp,
        });
    }
}
