using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Billing.ServiceDefaults.Messaging;

/// <summary>
/// Wakes this process's relay as soon as a unit of work that staged outbox rows commits, so
/// publishing does not wait for a poll. <c>AddOutboxMessage</c> marks the context; the mark is
/// turned into a signal when the transaction holding the rows commits (an explicit one, or EF's
/// own inside SaveChanges) or when SaveChanges returns outside any transaction, and dropped on
/// rollback. The signal also tells the other replicas, after the commit (<see cref="OutboxPeerNotifier"/>).
/// </summary>
internal sealed class OutboxCommitInterceptor(OutboxSignal signal) : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    private sealed class Staged;

    // Static because AddOutboxMessage, an extension on any DbContext, has no access to DI.
    private static readonly ConditionalWeakTable<DbContext, Staged> StagedRows = new();

    internal static void MarkStaged(DbContext context) => StagedRows.AddOrUpdate(context, new Staged());

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        SignalIfCommitted(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        SignalIfCommitted(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Signal(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Signal(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    // Outside a transaction, SaveChanges has committed when it returns.
    private void SignalIfCommitted(DbContext? context)
    {
        if (context is not null && context.Database.CurrentTransaction is null) Signal(context);
    }

    private void Signal(DbContext? context)
    {
        if (context is not null && StagedRows.Remove(context)) signal.Committed();
    }

    private static void Forget(DbContext? context)
    {
        if (context is not null) StagedRows.Remove(context);
    }
}
