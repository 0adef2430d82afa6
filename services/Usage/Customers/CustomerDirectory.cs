using System.Text.Json;
using Billing.Contracts;
using Npgsql;

namespace Billing.Usage.Customers;

/// <summary>
/// Finds customers in the projection of SubscriptionChanged (with their plan from PlanChanged). Plain SQL on
/// the data source: the entitlement check runs it on every call.
/// </summary>
public sealed class CustomerDirectory(NpgsqlDataSource db, TimeProvider time)
{
    /// <summary>Platform developers without a paid subscription are on this plan (Catalog's seeded free tier).</summary>
    public const string PlatformFreePlanId = "plan_platform_free";

    private const string CurrentFirst = """
        order by (s.status in ('canceled', 'incomplete_expired', 'incomplete')), s.current_period_start desc nulls last, s.version desc
        limit 1
        """;

    /// <summary>
    /// The customer named by id or external id; null when the id is unknown to this app (404). An external id
    /// Usage has never seen is a customer without a plan (its usage is kept under <c>ext:</c> + the id).
    /// </summary>
    public async Task<CustomerAccount?> FindAsync(string appId, string? customerId, string? externalId, CancellationToken ct)
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
        var now = time.GetUtcNow();
        var period = ended ? BillingPeriod.CalendarMonth(now) : BillingPeriod.Of(start, end, now);
        var (planName, tier, limits) = planId is null ? (null, null, new Dictionary<string, long>())
            : !ended && plan is { } joined ? joined
            : await PlanAsync(appId, planId, ct);
        var external = foundExternal ?? externalId;
        var keys = new List<string>();
        if (foundId is not null) keys.Add(foundId);
        if (external is not null) keys.Add(CustomerAccount.ExternalKey(external));
        return new CustomerAccount(foundId, external, keys, ended ? null : subscriptionId, planId, planName, tier, status, period, limits);
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

    /// <summary>
    /// The keys a batch's customers are recorded under: a known id as itself, an external id as the customer id
    /// it belongs to when known, else as <c>ext:</c> + the id. Unknown ids are missing from the answer.
    /// </summary>
    public async Task<(HashSet<string> KnownIds, Dictionary<string, string> ExternalKeys)> KeysAsync(
        string appId, IReadOnlyCollection<string> customerIds, IReadOnlyCollection<string> externalIds, CancellationToken ct)
    {
        var known = new HashSet<string>(StringComparer.Ordinal);
        var external = externalIds.ToDictionary(e => e, CustomerAccount.ExternalKey, StringComparer.Ordinal);
        if (customerIds.Count == 0 && externalIds.Count == 0) return (known, external);
        await using var command = db.CreateCommand("""
            select distinct customer_id, customer_external_id from usage.subscriptions
             where app_id = $1 and (customer_id = any($2) or customer_external_id = any($3))
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = appId });
        command.Parameters.Add(new NpgsqlParameter { Value = customerIds.ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = externalIds.ToArray() });
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var (id, ext) = (reader.GetString(0), reader.GetString(1));
            known.Add(id);
            if (external.ContainsKey(ext)) external[ext] = id;
        }
        return (known, external);
    }
}
