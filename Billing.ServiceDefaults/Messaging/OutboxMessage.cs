using System.Diagnostics;
using MassTransit.Logging;

namespace Billing.ServiceDefaults.Messaging;

/// <summary>
/// An integration event staged in the same transaction as the business change that caused it.
/// The relay publishes it after commit; the row, not memory, is the truth about what is owed.
/// </summary>
public sealed class OutboxMessage
{
    /// <summary>
    /// The row for <paramref name="message"/>, not yet staged anywhere. <c>db.AddOutboxMessage</c>
    /// stages it in an EF unit of work; code that writes rows with its own SQL inserts these
    /// fields into <see cref="MessagingModel.OutboxTable"/> and calls <see cref="OutboxSignal.Committed"/> after the commit.
    /// </summary>
    public static OutboxMessage Create(object message, IReadOnlyDictionary<string, string>? headers = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new OutboxMessage
        {
            // Time-ordered ids keep the primary key index append-only.
            Id = MassTransit.NewId.NextGuid(),
            MessageType = MessageTypes.NameOf(message.GetType()),
            Body = MessageTypes.Serialize(message),
            Headers = MessageTypes.SerializeHeaders(WithTraceParent(headers)),
            CreatedAt = DateTimeOffset.UtcNow,
        };
    }

    /// <summary>
    /// The span that stages the row (a request, a consumer) is remembered in MassTransit's activity
    /// header: the relay publishes later with no span of its own, and MassTransit makes its publish
    /// a child of the span this header names, so consumers continue the trace of what caused the
    /// event. Without telemetry there is no current span, and nothing is added.
    /// </summary>
    private static IReadOnlyDictionary<string, string>? WithTraceParent(IReadOnlyDictionary<string, string>? headers)
    {
        if (Activity.Current?.Id is not { } parent || headers?.ContainsKey(DiagnosticHeaders.ActivityId) == true) return headers;
        return new Dictionary<string, string>(headers ?? new Dictionary<string, string>()) { [DiagnosticHeaders.ActivityId] = parent };
    }

    /// <summary>Also the transport MessageId, so consumers can dedupe a republished row.</summary>
    public Guid Id { get; init; }

    /// <summary>Assigned by Postgres on insert; the relay publishes in this order.</summary>
    public long Sequence { get; init; }

    /// <summary>The .NET type of the body, as <c>Full.Name, Assembly</c>.</summary>
    public required string MessageType { get; init; }

    public required string Body { get; init; }
    public string? Headers { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }

    /// <summary>Null means now; set in the future only for a row that cannot be published (bad type or body).</summary>
    public DateTimeOffset? NextAttemptAt { get; set; }

    public DateTimeOffset? PublishedAt { get; set; }
}

/// <summary>A message a consumer has processed; written in the same transaction as its effect.</summary>
public sealed class InboxMessage
{
    public Guid MessageId { get; init; }
    public required string Consumer { get; init; }
    public DateTimeOffset ProcessedAt { get; init; }
}
