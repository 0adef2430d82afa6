using Npgsql;

namespace Billing.Tests.Webhooks;

/// <summary>Reads the webhooks schema directly, to assert what really was stored.</summary>
public static class WebhookRows
{
    public static async Task<long> CountAsync(string connectionString, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    /// <summary>Stored copies of one Stripe event.</summary>
    public static Task<long> StoredAsync(string connectionString, string stripeEventId) =>
        CountAsync(connectionString, "select count(*) from webhooks.received_events where stripe_event_id = @id", ("id", stripeEventId));

    /// <summary>Outbox rows (published or not) whose message is about one Stripe event.</summary>
    public static Task<long> OutboxRowsAsync(string connectionString, string stripeEventId) =>
        CountAsync(connectionString, "select count(*) from webhooks.outbox_messages where body->'origin'->>'stripeEventId' = @id", ("id", stripeEventId));

    /// <summary>
    /// Forgets the reconciler's bookmarks, so a bookmark left by an earlier test's sandbox (whose
    /// events this sandbox does not have) cannot shape this test; before the first migration there is no table.
    /// </summary>
    public static async Task ResetReconcilerAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("delete from webhooks.reconciler_checkpoints", connection);
        try { await command.ExecuteNonQueryAsync(); } catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable) { }
    }
}
