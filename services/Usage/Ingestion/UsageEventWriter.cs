using Npgsql;
using NpgsqlTypes;

namespace Billing.Usage.Ingestion;

/// <summary>A day's aggregate as committed by a batch: what the Redis counters are brought up to.</summary>
public sealed record DailyAggregate(string CustomerKey, string Meter, DateOnly Day, string Aggregation, long Quantity, DateTimeOffset LastAt);

/// <summary>
/// Writes a batch in one transaction and one statement: the events are inserted, and only the rows actually
/// inserted are folded into the daily aggregates, in the same statement. So an event id is claimed only when
/// its write commits and an aggregate never counts an event twice, whatever the concurrency.
/// A batch is first written with a plain INSERT: most batches hold only new ids, and ON CONFLICT looks every
/// row up in the unique index before inserting it, which was a fifth of Postgres's CPU per batch (issue 15's
/// ingestion figure). When any id is already taken (committed, or committed meanwhile by a concurrent batch:
/// Postgres makes the second writer wait for the first), that transaction fails as a whole, nothing of it
/// counted, and the batch is written again with ON CONFLICT DO NOTHING, which skips the taken ids.
/// </summary>
public sealed class UsageEventWriter(NpgsqlDataSource db, ILogger<UsageEventWriter> logger)
{
    // Rows go in key order (events by id, aggregates by customer/meter/day) so concurrent batches lock in
    // the same order; the aggregate needs every inserted row first (group by), so inserts precede upserts.
    private static readonly string PlainInsert = Sql(onConflict: "");
    private static readonly string SkippingDuplicates = Sql(onConflict: "on conflict do nothing");

    private static string Sql(string onConflict) => $$"""
        with batch as (
            select * from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::timestamptz[])
                   as b(event_id, customer_key, meter, aggregation, quantity, occurred_at)
             order by event_id
        ), inserted as (
            insert into usage.usage_events (app_id, event_id, customer_key, meter, quantity, occurred_at)
            select $1, event_id, customer_key, meter, quantity, occurred_at from batch
            {{onConflict}}
            returning event_id, customer_key, meter, quantity, occurred_at
        ), daily as (
            select i.customer_key, i.meter, (i.occurred_at at time zone 'UTC')::date as day, min(b.aggregation) as aggregation,
                   case min(b.aggregation)
                       when 'Sum' then sum(i.quantity)::bigint
                       when 'Max' then max(i.quantity)
                       else (array_agg(i.quantity order by i.occurred_at desc, i.event_id desc))[1]
                   end as quantity,
                   max(i.occurred_at) as last_at
              from inserted i join batch b on b.event_id = i.event_id
             group by 1, 2, 3
             order by 1, 2, 3
        ), upserted as (
            insert into usage.usage_daily as d (app_id, customer_key, meter, day, aggregation, quantity, last_at)
            select $1, customer_key, meter, day, aggregation, quantity, last_at from daily
            on conflict (app_id, customer_key, meter, day) do update
               set quantity = case d.aggregation
                                  when 'Sum' then d.quantity + excluded.quantity
                                  when 'Max' then greatest(d.quantity, excluded.quantity)
                                  else case when excluded.last_at >= d.last_at then excluded.quantity else d.quantity end
                              end,
                   last_at = greatest(d.last_at, excluded.last_at)
            returning d.customer_key, d.meter, d.day, d.aggregation, d.quantity, d.last_at
        )
        select (select count(*) from inserted)::int,
               -- Whether any plan of the app sets a limit (else no alert can be due): asked here, not in a round trip of its own.
               exists(select 1 from usage.plans where app_id = $1 and limits <> '{}'::jsonb),
               u.customer_key, u.meter, u.day, u.aggregation, u.quantity, u.last_at
          from (select 1) one left join upserted u on true
        """;

    /// <summary>
    /// Inserts the rows that are new; answers how many were, the aggregates as this commit left them, and whether any
    /// plan of the app has limits (so whether usage alerts can be due).
    /// </summary>
    public async Task<(int Inserted, IReadOnlyList<DailyAggregate> Aggregates, bool AppHasLimits)> WriteAsync(string appId, IReadOnlyList<UsageEventRow> rows, CancellationToken ct)
    {
        if (rows.Count == 0) return (0, [], false);
        var sql = PlainInsert;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await WriteOnceAsync(sql, appId, rows, ct);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && sql == PlainInsert)
            {
                sql = SkippingDuplicates;
            }
            // Lock order makes deadlocks unlikely, not impossible (Postgres picks a victim): the whole batch
            // rolled back, nothing was claimed, so it is safe to run again.
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure && attempt < 5)
            {
                logger.LogWarning("Usage batch of {Count} events for {AppId} retried after {SqlState}", rows.Count, appId, e.SqlState);
            }
        }
    }

    private async Task<(int, IReadOnlyList<DailyAggregate>, bool)> WriteOnceAsync(string sql, string appId, IReadOnlyList<UsageEventRow> rows, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = appId });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.EventId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.CustomerKey).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Meter).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Aggregation).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Quantity).ToArray() });
        command.Parameters.Add(new NpgsqlParameter
        {
            Value = rows.Select(r => r.OccurredAt.UtcDateTime).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz,
        });
        var inserted = 0;
        var hasLimits = false;
        var aggregates = new List<DailyAggregate>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                inserted = reader.GetInt32(0);
                hasLimits = reader.GetBoolean(1);
                if (reader.IsDBNull(2)) continue;
                aggregates.Add(new DailyAggregate(reader.GetString(2), reader.GetString(3), reader.GetFieldValue<DateOnly>(4), reader.GetString(5),
                    reader.GetInt64(6), reader.GetFieldValue<DateTimeOffset>(7)));
            }
        }
        await transaction.CommitAsync(ct);
        return (inserted, aggregates, hasLimits);
    }
}
