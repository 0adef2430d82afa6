using MassTransit;
using Microsoft.Extensions.Logging;

namespace Billing.ServiceDefaults.Messaging;

/// <summary>
/// Sits outside the retry filter, so it sees an exception only once every retry has failed, just
/// before MassTransit moves the message to the endpoint's <c>_error</c> queue: the one moment worth
/// an Error log, with the reason.
/// </summary>
internal sealed class DeadLetterLoggingFilter(ILogger logger) : IFilter<ConsumeContext>
{
    public async Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
    {
        try
        {
            await next.Send(context);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Message {MessageId} ({MessageType}) on {Endpoint} failed after its retries and goes to the error queue: {Reason}",
                context.MessageId, context.SupportedMessageTypes.FirstOrDefault(), context.ReceiveContext.InputAddress, e.Message);
            throw;
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("deadLetterLogging");
}
