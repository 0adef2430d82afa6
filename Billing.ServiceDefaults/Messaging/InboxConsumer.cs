using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Billing.ServiceDefaults.Messaging;

/// <summary>
/// A consumer whose effect happens once per MessageId, however often the message arrives.
/// In one transaction on the service's DbContext it records the message in the inbox, runs
/// <see cref="HandleAsync"/>, saves the changes (including any outbox messages the handler
/// staged with <c>Db.AddOutboxMessage</c>) and commits. A duplicate finds its inbox row and is
/// acknowledged with no effect; a concurrent duplicate waits on that row's key until the first
/// delivery commits (then it is a duplicate) or rolls back (then it does the work). If the
/// handler throws, nothing is kept, and the retry policy delivers the message again.
/// </summary>
public abstract class InboxConsumer<TMessage, TContext>(TContext db) : IConsumer<TMessage>
    where TMessage : class
    where TContext : DbContext
{
    protected TContext Db { get; } = db;

    /// <summary>The inbox key next to the MessageId; stable across deploys, so renaming the class needs care.</summary>
    protected virtual string ConsumerName => GetType().FullName!;

    /// <summary>Makes the change on <see cref="Db"/>; do not call SaveChanges or commit, the base does.</summary>
    protected abstract Task HandleAsync(ConsumeContext<TMessage> context);

    public async Task Consume(ConsumeContext<TMessage> context)
    {
        var messageId = context.MessageId
            ?? throw new InvalidOperationException($"A {typeof(TMessage).Name} without MessageId cannot be deduplicated.");
        var ct = context.CancellationToken;

        await using var transaction = await Db.Database.BeginTransactionAsync(ct);
        if (!await RecordAsync(messageId, ct))
        {
            await transaction.RollbackAsync(ct);
            LogContext.Info?.Log("Duplicate {MessageId} for {Consumer} acknowledged without effect", messageId, ConsumerName);
            return;
        }
        try
        {
            await HandleAsync(context);
            await Db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        catch
        {
            // The transaction rolls back on dispose; tracked changes must go too, should a retry reuse this context.
            Db.ChangeTracker.Clear();
            throw;
        }
    }

    private async Task<bool> RecordAsync(Guid messageId, CancellationToken ct)
    {
        var entity = Db.Model.FindEntityType(typeof(InboxMessage))
            ?? throw new InvalidOperationException($"{typeof(TContext).Name} has no inbox table: call modelBuilder.AddMessagingTables() in OnModelCreating.");
        var table = $"\"{entity.GetSchema() ?? Db.Model.GetDefaultSchema() ?? "public"}\".\"{entity.GetTableName()}\"";
        // ON CONFLICT DO NOTHING waits for an in-flight insert of the same key and then reports 0 rows.
        // The table name comes from the EF model, never from input; the values are parameters.
        var sql = "insert into " + table + " (message_id, consumer, processed_at) values ({0}, {1}, now()) on conflict do nothing";
        var inserted = await Db.Database.ExecuteSqlRawAsync(sql, [messageId, ConsumerName], ct);
        return inserted == 1;
    }
}
