using Billing.ServiceDefaults.Data;
using Npgsql;
using NpgsqlTypes;

namespace Billing.ServiceDefaults.Messaging;

/// <summary>An outbox row as the relay reads it.</summary>
internal sealed record PendingMessage(Guid Id, string MessageType, string Body, string? Headers, int Attempts);

/// <summary>Why a claimed row was not published; <see cref="RetryAfter"/> null keeps it first in line.</summary>
internal sealed record RelayFailure(Guid Id, string Error, TimeSpan? RetryAfter);

/// <summary>
/// The relay's SQL on <c>outbox_messages</c>: one round trip to claim rows (opening the
/// transaction that holds them) and one to record the outcome and commit. The relay runs after
/// every commit that staged rows, so its round trips count as much as the request's own.
/// </summary>
internal sealed class OutboxStore(ServiceSchema schema)
{
    private readonly string _table = $"{schema.Name}.{MessagingModel.OutboxTable}";

    /// <summary>
    /// Opens a transaction and locks the oldest publishable rows in it. SKIP LOCKED lets another
    /// replica's relay take the next rows instead of waiting for (and then republishing) these.
    /// Losing this transaction's marks in a Postgres crash only republishes rows, which the
    /// consumers' inbox drops, so its commit need not wait for its own WAL flush.
    /// </summary>
    public async Task<List<PendingMessage>> ClaimAsync(NpgsqlConnection connection, int limit, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"""
            begin;
            set local synchronous_commit = off;
            select id, message_type, body::text, headers::text, attempts from {_table}
            where published_at is null and (next_attempt_at is null or next_attempt_at <= now())
            order by sequence
            limit @limit
            for update skip locked
            """, connection);
        command.Parameters.AddWithValue("limit", limit);
        var rows = new List<PendingMessage>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            rows.Add(new PendingMessage(reader.GetGuid(0), reader.GetString(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetInt32(4)));
        return rows;
    }

    /// <summary>Marks the published rows, records the failures, and commits, in one round trip.</summary>
    public async Task CompleteAsync(NpgsqlConnection connection, IReadOnlyList<Guid> published, IReadOnlyList<RelayFailure> failures)
    {
        await using var batch = new NpgsqlBatch(connection);
        if (published.Count > 0)
        {
            var mark = new NpgsqlBatchCommand(
                $"update {_table} set published_at = now(), attempts = attempts + 1, last_error = null where id = any(@ids)");
            mark.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = published.ToArray() });
            batch.BatchCommands.Add(mark);
        }
        foreach (var failure in failures)
        {
            var record = new NpgsqlBatchCommand($"""
                update {_table} set attempts = attempts + 1, last_error = @error,
                    next_attempt_at = case when @delay::interval is null then null else now() + @delay::interval end
                where id = @id
                """);
            record.Parameters.AddWithValue("id", failure.Id);
            record.Parameters.AddWithValue("error", failure.Error.Length > 2000 ? failure.Error[..2000] : failure.Error);
            record.Parameters.Add(new NpgsqlParameter("delay", NpgsqlDbType.Interval) { Value = failure.RetryAfter.HasValue ? failure.RetryAfter.Value : DBNull.Value });
            batch.BatchCommands.Add(record);
        }
        batch.BatchCommands.Add(new NpgsqlBatchCommand("commit"));
        // Not cancellable: rows the broker confirmed must be recorded, or they go out twice.
        await batch.ExecuteNonQueryAsync(CancellationToken.None);
    }

    /// <summary>Releases the claimed rows untouched; best effort, as a broken connection releases them too.</summary>
    public async Task AbandonAsync(NpgsqlConnection connection)
    {
        try
        {
            await using var rollback = new NpgsqlCommand("rollback", connection);
            await rollback.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
        }
    }
}
