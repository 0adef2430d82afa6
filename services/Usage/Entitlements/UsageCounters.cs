using Billing.Usage.Customers;
using Billing.Usage.Ingestion;
using Npgsql;
using StackExchange.Redis;

namespace Billing.Usage.Entitlements;

/// <summary>
/// A customer's usage of a meter in a period, answered from Redis and kept in step with the committed
/// daily aggregates. Per (app, customer key, meter) a hash holds each UTC day's aggregate as
/// <c>order|quantity</c>, where order only grows with commits (the quantity itself for sum and max meters,
/// the time of the latest event for last meters). Both writers merge by keeping the higher order:
/// <list type="bullet">
/// <item>after each batch commits, the aggregates it returned (absolute values, not increments);</item>
/// <item>on a miss (no <c>_from</c> field: new key, expired, or Redis restarted empty) a rebuild from
/// <c>usage_daily</c>, which then sets <c>_from</c>, the first day the hash is complete from.</item>
/// </list>
/// Merging absolute values is commutative, so a rebuild racing a commit cannot lose or double-count it.
/// Without Redis the answer comes from Postgres. A merge lost to a Redis error marks its hash stale: it is
/// deleted (so rebuilt) at the next successful Redis call of this process; a hash also lives at most
/// <see cref="Ttl"/> after its rebuild, which bounds staleness if the process dies first.
/// </summary>
public sealed class UsageCounters(IConnectionMultiplexer redis, NpgsqlDataSource db, ILogger<UsageCounters> logger)
{
    public static readonly TimeSpan Ttl = TimeSpan.FromMinutes(10);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _stale = new();

    // KEYS = hashes of one customer's keys; ARGV = first day, day after the last, aggregation. -1: not complete.
    private const string Read = """
        local first, after, agg = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
        local total, lastOrder = 0, -1
        for _, key in ipairs(KEYS) do
          local from = redis.call('HGET', key, '_from')
          if not from or tonumber(from) > first then return -1 end
          local all = redis.call('HGETALL', key)
          for j = 1, #all, 2 do
            local day = tonumber(all[j])
            if all[j] ~= '_from' and day >= first and day < after then
              local v = all[j + 1]
              local sep = string.find(v, '|', 1, true)
              local order, q = tonumber(string.sub(v, 1, sep - 1)), tonumber(string.sub(v, sep + 1))
              if agg == 'Sum' then total = total + q
              elseif agg == 'Max' then if q > total then total = q end
              elseif order > lastOrder then lastOrder = order; total = q end
            end
          end
        end
        return total
        """;

    public static string KeyOf(string appId, string customerKey, string meter) => $"usage:{appId}:{customerKey}:{meter}";

    private static long DayNumber(DateOnly day) => day.Year * 10000 + day.Month * 100 + day.Day;

    private static long OrderOf(string aggregation, long quantity, DateTimeOffset lastAt) =>
        aggregation == "Last" ? lastAt.ToUnixTimeMilliseconds() : quantity;

    /// <summary>After a commit: brings the counters up to the aggregates it left, in one script call for the whole batch. A Redis failure only delays them (see the class).</summary>
    public async Task ApplyAsync(string appId, IReadOnlyList<DailyAggregate> aggregates)
    {
        if (aggregates.Count == 0) return;
        // One call, not one per key: a batch touches up to hundreds of customer/meter keys (issue 15's ingestion figure).
        var groups = aggregates.GroupBy(a => KeyOf(appId, a.CustomerKey, a.Meter)).ToList();
        var args = new List<RedisValue>(2 + groups.Count + aggregates.Count * 3) { "", (long)Ttl.TotalSeconds };
        foreach (var group in groups)
        {
            args.Add(group.Count());
            foreach (var a in group) args.AddRange([DayNumber(a.Day), OrderOf(a.Aggregation, a.Quantity, a.LastAt), a.Quantity]);
        }
        try
        {
            var database = redis.GetDatabase();
            await ForgetStaleAsync(database);
            await database.ScriptEvaluateAsync(MergeScript, [.. groups.Select(g => (RedisKey)g.Key)], [.. args]);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            logger.LogWarning("Usage counters of {AppId} not updated: {Error}", appId, e.Message);
            foreach (var group in groups) _stale[group.Key] = true;
        }
    }

    private async Task ForgetStaleAsync(IDatabase database)
    {
        if (_stale.IsEmpty) return;
        var keys = _stale.Keys.ToList();
        await database.KeyDeleteAsync([.. keys.Select(k => (RedisKey)k)]);
        foreach (var key in keys) _stale.TryRemove(key, out _);
    }

    // KEYS = hashes; ARGV[1] = _from to set ('' for none), ARGV[2] = ttl seconds, then for each key in turn: how many
    // days n, then n triples day, order, quantity.
    private const string MergeScript = """
        local i = 3
        for _, key in ipairs(KEYS) do
          local n = tonumber(ARGV[i])
          i = i + 1
          for _ = 1, n do
            local cur = redis.call('HGET', key, ARGV[i])
            local write = true
            if cur then
              local sep = string.find(cur, '|', 1, true)
              if tonumber(string.sub(cur, 1, sep - 1)) >= tonumber(ARGV[i + 1]) then write = false end
            end
            if write then redis.call('HSET', key, ARGV[i], ARGV[i + 1] .. '|' .. ARGV[i + 2]) end
            i = i + 3
          end
          if ARGV[1] ~= '' then
            local from = redis.call('HGET', key, '_from')
            if not from or tonumber(from) > tonumber(ARGV[1]) then redis.call('HSET', key, '_from', ARGV[1]) end
            redis.call('EXPIRE', key, ARGV[2])
          elseif redis.call('TTL', key) < 0 then
            redis.call('EXPIRE', key, ARGV[2])
          end
        end
        return 1
        """;

    /// <summary>The customer's usage of <paramref name="meter"/> in <paramref name="period"/>: Redis, rebuilt on a miss, Postgres without Redis.</summary>
    public async Task<long> PeriodUsageAsync(string appId, CustomerAccount customer, string meter, string aggregation, BillingPeriod period, CancellationToken ct)
    {
        var keys = customer.Keys.Select(k => (RedisKey)KeyOf(appId, k, meter)).ToArray();
        RedisValue[] args = [DayNumber(period.Start), DayNumber(period.End), aggregation];
        try
        {
            var database = redis.GetDatabase();
            await ForgetStaleAsync(database);
            var answer = (long)await database.ScriptEvaluateAsync(Read, keys, args);
            if (answer >= 0) return answer;
            foreach (var customerKey in customer.Keys) await RebuildAsync(database, appId, customerKey, meter, period.Start, ct);
            answer = (long)await database.ScriptEvaluateAsync(Read, keys, args);
            if (answer >= 0) return answer;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            logger.LogWarning("Usage counters unavailable, reading Postgres: {Error}", e.Message);
        }
        return await FromDatabaseAsync(appId, customer.Keys, meter, aggregation, period, ct);
    }

    private async Task RebuildAsync(IDatabase database, string appId, string customerKey, string meter, DateOnly from, CancellationToken ct)
    {
        await using var command = db.CreateCommand("""
            select day, aggregation, quantity, last_at from usage.usage_daily
             where app_id = $1 and customer_key = $2 and meter = $3 and day >= $4
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = appId });
        command.Parameters.Add(new NpgsqlParameter { Value = customerKey });
        command.Parameters.Add(new NpgsqlParameter { Value = meter });
        command.Parameters.Add(new NpgsqlParameter { Value = from });
        var args = new List<RedisValue> { DayNumber(from), (long)Ttl.TotalSeconds, 0 };
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var quantity = reader.GetInt64(2);
                args.AddRange([DayNumber(reader.GetFieldValue<DateOnly>(0)), OrderOf(reader.GetString(1), quantity, reader.GetFieldValue<DateTimeOffset>(3)), quantity]);
            }
        }
        args[2] = (args.Count - 3) / 3;
        await database.ScriptEvaluateAsync(MergeScript, [KeyOf(appId, customerKey, meter)], [.. args]);
    }

    /// <summary>The same answer from the aggregates, merging the customer's keys day by day as <see cref="Read"/> does.</summary>
    public async Task<long> FromDatabaseAsync(string appId, IReadOnlyList<string> customerKeys, string meter, string aggregation, BillingPeriod period, CancellationToken ct)
    {
        await using var command = db.CreateCommand("""
            select case $5 when 'Sum' then coalesce(sum(quantity), 0)::bigint
                           when 'Max' then coalesce(max(quantity), 0)
                           else coalesce((array_agg(quantity order by last_at desc))[1], 0) end
              from usage.usage_daily
             where app_id = $1 and customer_key = any($2) and meter = $3 and day >= $4 and day < $6
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = appId });
        command.Parameters.Add(new NpgsqlParameter { Value = customerKeys.ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = meter });
        command.Parameters.Add(new NpgsqlParameter { Value = period.Start });
        command.Parameters.Add(new NpgsqlParameter { Value = aggregation });
        command.Parameters.Add(new NpgsqlParameter { Value = period.End });
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }
}
