using Billing.ServiceDefaults.Messaging;
using Billing.Webhooks.Model;
using Npgsql;
using NpgsqlTypes;

namespace Billing.Webhooks.Ingest;

/// <summary>
/// One statement, so one atomic autocommit, that stores a batch of received events and the outbox
/// rows of those that were not stored before, and returns the Stripe ids it stored.
/// </summary>
internal static class ReceivedEventBatch
{
    private const string Schema = WebhooksService.Name;

    // ON CONFLICT DO NOTHING waits for a concurrent insert of the same id and then inserts nothing,
    // so only the copy that stored the event stages its outbox row. Rows go in Stripe id order so
    // two batches sharing ids lock them in the same order and cannot deadlock.
    private const string Sql = $$"""
        with incoming as (
            select * from unnest(@id, @stripe_event_id, @type, @app_id, @account, @stripe_created_at, @payload, @status, @source,
                                 @message_id, @message_type, @body, @headers, @created_at)
                as i(id, stripe_event_id, type, app_id, account, stripe_created_at, payload, status, source,
                     message_id, message_type, body, headers, created_at)
        ),
        stored as (
            insert into {{Schema}}.received_events
                (id, stripe_event_id, type, app_id, account, stripe_created_at, payload, status, source, received_at)
            select id, stripe_event_id, type, app_id, account, stripe_created_at, payload, status, source, now()
            from incoming order by stripe_event_id
            on conflict (stripe_event_id) do nothing
            returning stripe_event_id
        ),
        staged as (
            insert into {{Schema}}.{{MessagingModel.OutboxTable}} (id, message_type, body, headers, created_at)
            select i.message_id, i.message_type, i.body, i.headers, i.created_at
            from incoming i join stored s on s.stripe_event_id = i.stripe_event_id
            where i.message_id is not null
        )
        select stripe_event_id from stored
        """;

    /// <param name="rows">At most one row per Stripe event id.</param>
    public static async Task<HashSet<string>> InsertAsync(NpgsqlDataSource dataSource, IReadOnlyList<(ReceivedEvent Event, OutboxMessage? Message)> rows)
    {
        // A Stripe id twice in one statement would stage two outbox rows for one stored event.
        var unique = rows.DistinctBy(r => r.Event.StripeEventId).ToList();
        await using var command = dataSource.CreateCommand(Sql);
        command.Parameters.Add(Texts("id", unique, r => r.Event.Id));
        command.Parameters.Add(Texts("stripe_event_id", unique, r => r.Event.StripeEventId));
        command.Parameters.Add(Texts("type", unique, r => r.Event.Type));
        command.Parameters.Add(Texts("app_id", unique, r => r.Event.AppId));
        command.Parameters.Add(Texts("account", unique, r => r.Event.Account));
        command.Parameters.Add(Column("stripe_created_at", NpgsqlDbType.TimestampTz, unique, r => r.Event.StripeCreatedAt.ToUniversalTime()));
        command.Parameters.Add(Column("payload", NpgsqlDbType.Json, unique, r => r.Event.Payload));
        command.Parameters.Add(Texts("status", unique, r => r.Event.Status.ToString()));
        command.Parameters.Add(Texts("source", unique, r => r.Event.Source.ToString()));
        command.Parameters.Add(Column("message_id", NpgsqlDbType.Uuid, unique, r => r.Message?.Id));
        command.Parameters.Add(Texts("message_type", unique, r => r.Message?.MessageType));
        command.Parameters.Add(Column("body", NpgsqlDbType.Jsonb, unique, r => r.Message?.Body));
        command.Parameters.Add(Column("headers", NpgsqlDbType.Jsonb, unique, r => r.Message?.Headers));
        command.Parameters.Add(Column("created_at", NpgsqlDbType.TimestampTz, unique, r => r.Message?.CreatedAt.ToUniversalTime()));

        var stored = new HashSet<string>(unique.Count);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) stored.Add(reader.GetString(0));
        return stored;
    }

    private static NpgsqlParameter Texts<T>(string name, List<T> rows, Func<T, string?> value) => Column(name, NpgsqlDbType.Text, rows, value);

    /// <summary>One column of the batch as an array parameter, which <c>unnest</c> turns back into rows.</summary>
    private static NpgsqlParameter Column<T, TValue>(string name, NpgsqlDbType type, List<T> rows, Func<T, TValue> value) =>
        new NpgsqlParameter<TValue[]>(name, NpgsqlDbType.Array | type) { TypedValue = rows.Select(value).ToArray() };
}
