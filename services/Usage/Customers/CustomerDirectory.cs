using System.Collections.Concurrent;
using System.Text.Json;
using Billing.Contracts;
using Npgsql;

namespace Billing.Usage.Customers;

/// <summary>
/// Finds customers in the projection of SubscriptionChanged (with their plan from PlanChanged). The entitlement
/// check asks on every call, so each answer is kept in memory for <see cref="Ttl"/> (issue 15: a Postgres round
/// trip per check was the largest part of its cost): a hot customer costs one query per <see cref="Ttl"/> per
/// instance, whatever the rate. A change of plan, limits or status (past due) is therefore seen at most
/// <see cref="Ttl"/> after Usage consumed its event, on every instance alike; concurrent callers of an expired
/// entry share one reload.
/// </summary>
public sealed class CustomerDirectory(NpgsqlDataSource db, TimeProvider time)
{
    /// <summary>Platform developers without a paid subscription are on this plan (Catalog's seeded free tier).</summary>
    public const string PlatformFreePlanId = "plan_platform_free";

    /// <summary>How long an answer is reused. Well inside the 5 s in which an upgrade or a past due must show (issue 15).</summary>
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(1);

    // Past this many entries the expired ones are dropped (then all, if every one is fresh): a bound, not an LRU.
    private const int MaxEntries = 100_000;

    private const string CurrentFirst = """
        order by (s.status in ('canceled', 'incomplete_expired', 'incomplete')), s.current_period_start desc nulls last, s.version desc
        limit 1
        """;

    /// <summary>What the projections say of a customer, before the period is placed at the time of the call.</summary>
    private sealed record Projection(string? SubscriptionId, string? CustomerId, string? ExternalId, string? PlanId, string? PlanName,
        string? Tier, string? Status, bool Ended, DateTimeOffset? Start, DateTimeOffset? End, IReadOnlyDictionary<string, long> Limits);

    private sealed record Entry(Lazy<Task<Projection?>> Load, long StartedAt);

    private readonly ConcurrentDictionary<(string AppId, string? CustomerId, string? ExternalId), Entry> _cache = new();

    /// <summary>
    /// The customer named by id or external id; null when the id is unknown to this app (404). An external id
    /// Usage has never seen is a customer without a plan (its usage is kept under <c>ext:</c> + the id).
    /// </summary>
    public async Task<CustomerAccount?> FindAsync(string appId, string? customerId, string? externalId, CancellationToken ct)
    {
        var found = await CachedAsync((appId, customerId, externalId)).WaitAsync(ct);
        if (found is null) return null;
        var now = time.GetUtcNow();
        var period = found.Ended ? BillingPeriod.CalendarMonth(now) : BillingPeriod.Of(found.Start, found.End, now);
        var keys = new List<string>(2);
        if (found.CustomerId is not null) keys.Add(found.CustomerId);
        if (found.ExternalId is not null) keys.Add(CustomerAccount.ExternalKey(found.ExternalId));
        return new CustomerAccount(found.CustomerId, found.ExternalId, keys, found.Ended ? null : found.SubscriptionId, found.PlanId,
            found.PlanName, found.Tier, found.Status, period, found.Limits);
    }

    private Task<Projection?> CachedAsync((string AppId, string? CustomerId, string? ExternalId) key)
    {
        while (true)
        {
            // Elapsed time, not the service's TimeProvider: tests move that one, and the cache must still expire.
            var now = Environment.TickCount64;
            var cached = _cache.GetValueOrDefault(key);
            if (cached is not null && now - cached.StartedAt < (long)Ttl.TotalMilliseconds && !cached.Load.Value.IsFaulted && !cached.Load.Value.IsCanceled)
                return cached.Load.Value;
            // Shared by every caller until it expires, so it must not be cut short by the first caller going away.
            var mine = new Entry(new Lazy<Task<Projection?>>(() => LoadAsync(key.AppId, key.CustomerId, key.ExternalId, CancellationToken.None)), now);
            var stored = cached is null ? _cache.TryAdd(key, mine) : _cache.TryUpdate(key, mine, cached);
            if (!stored) continue;
            if (cached is null && _cache.Count > MaxEntries) Trim(now);
            return mine.Load.Value;
        }
    }

    private void Trim(long now)
    {
        foreach (var (key, entry) in _cache)
            if (now - entry.StartedAt >= (long)Ttl.TotalMilliseconds) _cache.TryRemove(KeyValuePair.Create(key, entry));
        if (_cache.Count > MaxEntries) _cache.Clear();
    }

    /// <summary>The projections' answer, in one round trip while the customer has a current subscription.</summary>
    private async Task<Projection?> LoadAsync(string appId, string? customerId, string? externalId, CancellationToken ct)
    {
        await using var command = db.CreateCommand($"""
            select s.id, s.customer_id, s.customer_external_id, s.plan_id, s.status, s.current_period_start, s.current_period_end,
                   p.name, p.tier, p.limits::text
              from usage.subscriptions s left join usage.plans p on p.id = s.plan_id and p.app_id = s.app_id
             where s.app_id = $1 and (s.customer_id = $2 or s.customer_external_id = $3)
            {CurrentFirst}
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = appId });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)customerId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)externalId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        string? subscriptionId = null, foundId = null, foundExternal = null, planId = null, status = null;
        DateTimeOffset? start = null, end = null;
        (string? Name, string? Tier, Dictionary<string, long> Limits)? plan = null;
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            if (await reader.ReadAsync(ct))
            {
                subscriptionId = reader.GetString(0);
                foundId = reader.GetString(1);
                foundExternal = reader.GetString(2);
                planId = reader.GetString(3);
                status = reader.GetString(4);
                start = reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5);
                end = reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6);
                // The plan comes in the same round trip: the entitlement check runs this on every call.
                if (!reader.IsDBNull(7))
                    plan = (reader.GetString(7), reader.IsDBNull(8) ? null : reader.GetString(8),
                        JsonSerializer.Deserialize<Dictionary<string, long>>(reader.GetString(9)) ?? []);
            }
        }
        if (foundId is null && externalId is null) return null;
        var ended = status is null or "canceled" or "incomplete_expired" or "incomplete";
        if (ended)
        {
            // An ended subscription no longer gives its plan; a platform developer falls back to free.
            planId = appId == PlatformApp.Id ? PlatformFreePlanId : null;
            if (status is "canceled" or "incomplete_expired" or "incomplete") status = "canceled";
        }
        var (planName, tier, limits) = planId is null ? (null, null, new Dictionary<string, long>())
            : !ended && plan is { } joined ? joined
            : await PlanAsync(appId, planId, ct);
        return new Projection(subscriptionId, foundId, foundExternal ?? externalId, planId, planName, tier, status, ended, start, end, limits);
    }

    private async Task<(string? Name, string? Tier, Dictionary<string, long> Limits)> PlanAsync(string appId, string planId, CancellationToken ct)
    {
        await using var command = db.CreateCommand("select name, tier, limits::text from usage.plans where id = $1 and app_id = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = planId });
        command.Parameters.Add(new NpgsqlParameter { Value = appId });
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return (null, null, []);
        var limits = JsonSerializer.Deserialize<Dictionary<string, long>>(reader.GetString(2)) ?? [];
        return (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), limits);
    }

    // For ingestion: a customer id once found stays known (projection rows are never deleted); an external id's key
    // is reused for Ttl (while it has no customer id its usage is kept under ext:, which every read merges with the id's).
    private readonly ConcurrentDictionary<(string AppId, string CustomerId), bool> _knownIds = new();
    private readonly ConcurrentDictionary<(string AppId, string ExternalId), (string Key, long LoadedAt)> _externalKeys = new();

    /// <summary>
    /// The keys a batch's customers are recorded under: a known id as itself, an external id as the customer id
    /// it belongs to when known, else as <c>ext:</c> + the id. Unknown ids are missing from the answer. Asks
    /// Postgres only about the ids not answered in memory (see above), so a steady stream of batches mostly does not.
    /// </summary>
    public async Task<(HashSet<string> KnownIds, Dictionary<string, string> ExternalKeys)> KeysAsync(
        string appId, IReadOnlyCollection<string> customerIds, IReadOnlyCollection<string> externalIds, CancellationToken ct)
    {
        var now = Environment.TickCount64;
        var known = new HashSet<string>(StringComparer.Ordinal);
        var external = new Dictionary<string, string>(StringComparer.Ordinal);
        var askIds = new List<string>();
        var askExternal = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in customerIds)
            if (_knownIds.ContainsKey((appId, id))) known.Add(id); else askIds.Add(id);
        foreach (var e in externalIds)
        {
            if (_externalKeys.TryGetValue((appId, e), out var cached) && now - cached.LoadedAt < (long)Ttl.TotalMilliseconds) external[e] = cached.Key;
            else
            {
                external[e] = CustomerAccount.ExternalKey(e);
                askExternal.Add(e);
            }
        }
        if (askIds.Count == 0 && askExternal.Count == 0) return (known, external);
        if (_knownIds.Count + _externalKeys.Count > MaxEntries)
        {
            _knownIds.Clear();
            _externalKeys.Clear();
        }
        await using var command = db.CreateCommand("""
            select distinct customer_id, customer_external_id from usage.subscriptions
             where app_id = $1 and (customer_id = any($2) or customer_external_id = any($3))
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = appId });
        command.Parameters.Add(new NpgsqlParameter { Value = askIds.ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = askExternal.ToArray() });
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var (id, ext) = (reader.GetString(0), reader.GetString(1));
                known.Add(id);
                _knownIds[(appId, id)] = true;
                if (askExternal.Contains(ext)) external[ext] = id;
            }
        }
        foreach (var e in askExternal) _externalKeys[(appId, e)] = (external[e], now);
        return (known, external);
    }
}
