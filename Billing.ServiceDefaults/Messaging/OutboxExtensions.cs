using Microsoft.EntityFrameworkCore;

namespace Billing.ServiceDefaults.Messaging;

public static class OutboxExtensions
{
    /// <summary>
    /// Stages <paramref name="message"/> for publication in this context's unit of work: it is
    /// written by the same <c>SaveChanges</c>/transaction as the business change, and published by
    /// the relay only if that commits. Returns the row; its <see cref="OutboxMessage.Id"/> is the
    /// MessageId consumers will see.
    /// </summary>
    public static OutboxMessage AddOutboxMessage(this DbContext db, object message, IReadOnlyDictionary<string, string>? headers = null)
    {
        var row = OutboxMessage.Create(message, headers);
        db.Set<OutboxMessage>().Add(row);
        OutboxCommitInterceptor.MarkStaged(db);
        return row;
    }
}
