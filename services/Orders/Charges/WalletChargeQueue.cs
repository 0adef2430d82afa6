using Billing.Orders.Ledger;
using Billing.ServiceDefaults.Messaging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Billing.Orders.Charges;

/// <summary>
/// Group commit per wallet. Charges of one wallet serialize on its row lock in Postgres whatever we do;
/// when each is its own transaction, every one waits for the one before it to commit (a WAL flush) and
/// hand the lock on to the next backend, so 50 concurrent charges cost 50 lock handoffs and flushes in
/// series, and on a busy machine each handoff waits to be scheduled. Instead, the charges of one wallet
/// that queue here while its writer is busy are sent by that writer as ONE batch of statements: one
/// round trip, one database transaction, one commit. Each charge is still its own statement
/// (<see cref="WalletDebit"/>) with its own balance check (in SQL, against the locked row, so other
/// replicas' charges are checked against the same balance), its own ledger transaction and
/// <c>WalletCharged</c> row and its own answer: a short one matches no row (402), one booked before under
/// its source (a retried Idempotency-Key) answers that booking and writes nothing, while the others
/// commit. A wallet with no charge waiting has no writer and no entry here.
/// </summary>
public sealed class WalletChargeQueue(NpgsqlDataSource dataSource, OutboxSignal outbox, IOptions<OrdersOptions> options)
{
    /// <summary>At most this many charges per transaction, so one batch's statements stay a small message.</summary>
    private const int MaxBatch = 100;

    private sealed record Queued(WalletDebit Debit, TaskCompletionSource<DebitOutcome?> Outcome, CancellationToken Ct);

    // A wallet is here while its writer runs; the queue holds the charges for its next batch.
    private readonly Dictionary<(string AppId, string CustomerId), Queue<Queued>> _waiting = [];

    /// <summary>
    /// The charge's outcome once its batch has committed (the charge booked before under the same source, if
    /// any); null when the wallet held less than the charge.
    /// </summary>
    public Task<DebitOutcome?> DebitAsync(WalletDebit debit, CancellationToken ct)
    {
        var queued = new Queued(debit, new TaskCompletionSource<DebitOutcome?>(TaskCreationOptions.RunContinuationsAsynchronously), ct);
        var wallet = (debit.AppId, debit.CustomerId);
        bool idle;
        lock (_waiting)
        {
            idle = !_waiting.TryGetValue(wallet, out var queue);
            if (idle) _waiting[wallet] = queue = new Queue<Queued>();
            queue!.Enqueue(queued);
        }
        if (idle)
        {
            // The writer serves the requests of many batches: it must not carry this one's context (trace, HttpContext).
            using (ExecutionContext.SuppressFlow()) _ = Task.Run(() => WriteAsync(wallet));
        }
        return queued.Outcome.Task;
    }

    /// <summary>The wallet's writer: batch after batch of what queued meanwhile, until nothing waits.</summary>
    private async Task WriteAsync((string AppId, string CustomerId) wallet)
    {
        while (true)
        {
            var batch = new List<Queued>();
            lock (_waiting)
            {
                var queue = _waiting[wallet];
                while (batch.Count < MaxBatch && queue.TryDequeue(out var queued))
                {
                    // A caller gone before its batch is sent is not charged.
                    if (queued.Ct.IsCancellationRequested) queued.Outcome.TrySetCanceled(queued.Ct);
                    else batch.Add(queued);
                }
                if (batch.Count == 0)
                {
                    _waiting.Remove(wallet);
                    return;
                }
            }
            await CommitAsync(batch);
        }
    }

    private async Task CommitAsync(List<Queued> batch, bool rerun = false)
    {
        try
        {
            Complete(batch, await ExecuteAsync(batch));
        }
        catch (PostgresException) when (batch.Count > 1)
        {
            // Postgres refused the batch, so none of it was committed: each charge alone, so only the failing one fails.
            foreach (var queued in batch) await CommitAsync([queued]);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && !rerun)
        {
            // Only a keyed charge's source can collide: another transaction (another replica, or the first attempt
            // of a retried request, still committing when its caller gave up) booked it after this statement's
            // snapshot. Run it once more: it now reads that booking and answers it (see WalletDebit).
            await CommitAsync(batch, rerun: true);
        }
        catch (Exception e)
        {
            // A broken connection may or may not have committed: those callers see a 5xx and the middleware frees
            // their Idempotency-Key. A retry runs again, but a keyed charge's source is the same on every attempt,
            // so it finds a committed first booking and answers it instead of booking again (see WalletDebit).
            foreach (var queued in batch) queued.Outcome.TrySetException(e);
        }
    }

    /// <summary>The batch's statements in one round trip; without an explicit transaction Npgsql runs a batch as one transaction, one commit.</summary>
    private async Task<List<DebitOutcome?>> ExecuteAsync(List<Queued> batch)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var command = new NpgsqlBatch(connection);
        foreach (var queued in batch) command.BatchCommands.Add(queued.Debit.ToCommand(options.Value));
        var outcomes = new List<DebitOutcome?>(batch.Count);
        await using (var reader = await command.ExecuteReaderAsync())
        {
            // One result per statement, in the batch's order.
            foreach (var queued in batch)
            {
                outcomes.Add(await queued.Debit.ReadAsync(reader));
                await reader.NextResultAsync();
            }
        }
        return outcomes;
    }

    private void Complete(List<Queued> batch, List<DebitOutcome?> outcomes)
    {
        if (outcomes.Any(o => o is { Replayed: false })) outbox.Committed();
        for (var i = 0; i < batch.Count; i++) batch[i].Outcome.TrySetResult(outcomes[i]);
    }
}
