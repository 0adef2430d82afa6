namespace Billing.Webhooks.Model;

/// <summary>
/// A normalized event that a consumer (in any service) gave up on after its retries, recorded
/// from MassTransit's <c>Fault&lt;T&gt;</c>. The message itself sits in that consumer's <c>_error</c> queue.
/// </summary>
public sealed class DeadLetter
{
    public required string Id { get; init; }
    /// <summary>The MessageId of the message that failed.</summary>
    public Guid? MessageId { get; init; }
    public required string MessageType { get; init; }
    public string? AppId { get; init; }
    public string? StripeEventId { get; init; }
    /// <summary>The queue of the consumer that failed.</summary>
    public string? Consumer { get; init; }
    public required string Reason { get; init; }
    public string? ExceptionType { get; init; }
    public required string Message { get; init; }
    public DateTimeOffset FailedAt { get; init; }
}
