using Npgsql;

namespace Billing.ServiceDefaults.Idempotency;

/// <summary>
/// Idempotency keys in the service's own schema. The primary key (owner, key) makes exactly one
/// of several concurrent requests with the same key acquire it.
/// </summary>
public sealed class IdempotencyStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <summary>How long a stored answer is replayed (Stripe: at least 24 hours).</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    /// <summary>How long a running request holds its key before a retry may take over (a crash leaves it held).</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);

    internal async Task<KeyClaim> ClaimAsync(string owner, string key, string requestHash, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(ct);

        // Take the key when it is new, or when the row left behind is expired or an abandoned lease.
        await using (var claim = new NpgsqlCommand("""
            insert into idempotency_keys (owner, key, request_hash, state, locked_until, created_at)
            values (@owner, @key, @hash, 'in_progress', @lease, @now)
            on conflict (owner, key) do update
               set request_hash = excluded.request_hash, state = 'in_progress', locked_until = excluded.locked_until,
                   created_at = excluded.created_at, response_status = null, response_type = null,
                   response_location = null, response_body = null
             where idempotency_keys.created_at < @expired
                or (idempotency_keys.state = 'in_progress' and idempotency_keys.locked_until < @now
                    and idempotency_keys.request_hash = excluded.request_hash)
            """, connection))
        {
            claim.Parameters.AddWithValue("owner", owner);
            claim.Parameters.AddWithValue("key", key);
            claim.Parameters.AddWithValue("hash", requestHash);
            claim.Parameters.AddWithValue("lease", now + Lease);
            claim.Parameters.AddWithValue("now", now);
            claim.Parameters.AddWithValue("expired", now - Retention);
            if (await claim.ExecuteNonQueryAsync(ct) == 1) return new KeyClaim.Acquired();
        }

        await using var read = new NpgsqlCommand("""
            select request_hash, state, response_status, response_type, response_location, response_body
              from idempotency_keys where owner = @owner and key = @key
            """, connection);
        read.Parameters.AddWithValue("owner", owner);
        read.Parameters.AddWithValue("key", key);
        await using var reader = await read.ExecuteReaderAsync(ct);
        // Deleted between the two statements (the first request failed with 5xx): it may be retried.
        if (!await reader.ReadAsync(ct)) return new KeyClaim.InUse();
        if (reader.GetString(0) != requestHash) return new KeyClaim.Mismatch();
        if (reader.GetString(1) != "completed") return new KeyClaim.InUse();
        return new KeyClaim.Replay(new StoredResponse(
            reader.GetInt32(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4),
            reader.IsDBNull(5) ? [] : (byte[])reader[5]));
    }

    internal async Task CompleteAsync(string owner, string key, StoredResponse response, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            update idempotency_keys
               set state = 'completed', response_status = @status, response_type = @type, response_location = @location, response_body = @body
             where owner = @owner and key = @key
            """);
        command.Parameters.AddWithValue("owner", owner);
        command.Parameters.AddWithValue("key", key);
        command.Parameters.AddWithValue("status", response.Status);
        command.Parameters.AddWithValue("type", (object?)response.ContentType ?? DBNull.Value);
        command.Parameters.AddWithValue("location", (object?)response.Location ?? DBNull.Value);
        command.Parameters.AddWithValue("body", response.Body);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Forgets a key whose request failed on our side (5xx), so the client's retry runs again.</summary>
    public async Task ReleaseAsync(string owner, string key, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("delete from idempotency_keys where owner = @owner and key = @key and state = 'in_progress'");
        command.Parameters.AddWithValue("owner", owner);
        command.Parameters.AddWithValue("key", key);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Deletes records past the retention period.</summary>
    public async Task<int> PruneAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("delete from idempotency_keys where created_at < @expired");
        command.Parameters.AddWithValue("expired", time.GetUtcNow() - Retention - Lease);
        return await command.ExecuteNonQueryAsync(ct);
    }
}
