using Billing.ServiceDefaults.Data;
using Npgsql;
using NpgsqlTypes;

namespace Billing.ServiceDefaults.Messaging;

/// <summary>An outbox row as the relay reads it.</summary>
internal sealed record PendingMessage(Guid Id, string MessageType, string Body, string? Headers, int Attempts);

/// <summary>The relay's SQL on <c>outbox_messages</c>, inside the transaction that holds the claimed rows.</summary>
internal sealed class OutboxStore(ServiceSchema schema)
{
    private readonly string _table = $"{schema.Name}.{MessagingModel.OutboxTable}";

    /// <summary>
    /// Locks the oldest publishable rows. SKIP LOCKED lets another replica's relay take the next
    /// rows instead of waiting for (and then republishing) these. Losing the claiming transaction's
    /// marks in a Postgres crash only republishes rows, which the consumers' inbox drops, so its
    /// commit need not wait for its own WAL flush.
    /// </summary>
    public async Task<List<PendingMessage>> ClaimAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, int limit, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"""
            set local synchronous_commit = off;
            select id, message_type, body::text, headers::text, attempts from {_table}
            where published_at is null and (next_attempt_at is null or next_attempt_at <= now())
            order by sequence
            limit @limit
            for update skip locked
            """, connection, transaction);
        command.Parameters.AddWithValue("limit", limit);
        var rows = new List<PendingMessage>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            rows.Add(new PendingMessage(reader.GetGuid(0), reader.GetString(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetInt32(4)));
        return rows;
    }

    public async Task MarkPublishedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<Guid> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return;
        await using var command = new NpgsqlCommand(
            $"update {_table} set published_at = now(), attempts = attempts + 1, last_error = null where id = any(@ids)", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = ids.ToArray() });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Records why a row was not published; <paramref name="retryAfter"/> null keeps it first in line.</summary>
    public async Task RecordFailureAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, string error, TimeSpan? retryAfter, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"""
            update {_table} set attempts = attempts + 1, last_error = @error,
                next_attempt_at = case when @delay::interval is null then null else now() + @delay::interval end
            where id = @id
            """, connection, transaction);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("error", error.Length > 2000 ? error[..2000] : error);
        command.Parameters.Add(new NpgsqlParameter("delay", NpgsqlDbType.Interval) { Value = retryAfter.HasValue ? retryAfter.Value : DBNull.Value });
        await command.ExecuteNonQueryAsync(ct);
    }
}
