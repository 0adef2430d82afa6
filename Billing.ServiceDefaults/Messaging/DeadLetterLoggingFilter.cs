using MassTransit;
using Microsoft.Extensions.Logging;

namespace Billing.ServiceDefaults.Messaging;

/// <summary>
/// Runs in the endpoint's error pipe, which MassTransit enters only once the retry policy has
/// given up: after the message has been moved to the <c>_error</c> queue, it logs why, at Error.
/// (Retries themselves are logged by MassTransit at Warning.)
/// </summary>
internal sealed class DeadLetterLoggingFilter(ILogger logger) : IFilter<ExceptionReceiveContext>
{
    public async Task Send(ExceptionReceiveContext context, IPipe<ExceptionReceiveContext> next)
    {
        await next.Send(context);
        var messageType = context.TryGetPayload<ConsumeContext>(out var consume) ? consume.SupportedMessageTypes.FirstOrDefault() : null;
        logger.LogError(context.Exception, "Message {MessageId} ({MessageType}) on {Endpoint} failed after its retries and was moved to the error queue: {Reason}",
            context.GetMessageId(), messageType, context.InputAddress, context.Exception.Message);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("deadLetterLogging");
}
