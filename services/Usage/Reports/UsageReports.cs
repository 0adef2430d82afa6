using Billing.ServiceDefaults.Api;
using Billing.ServiceDefaults.Errors;
using Billing.Usage.Customers;
using Billing.Usage.Entitlements;
using Billing.Usage.Model;
using Npgsql;

namespace Billing.Usage.Reports;

public sealed record DailyUsage(string Date, string Meter, long Quantity);

/// <summary>One meter in a period: the usage, and the plan's limit when it has one.</summary>
public sealed record MeterUsage(string Meter, string Unit, long Quantity, long? Limit, long? Remaining, double? PercentUsed);

public sealed record PeriodResponse(string StartDate, string EndDate, DateTimeOffset? Start, DateTimeOffset? End);

public sealed record UsageSummaryResponse(
    string? CustomerId, string? CustomerExternalId, string? SubscriptionId, string? PlanId, string? Status, PeriodResponse Period, IReadOnlyList<MeterUsage> Meters);

/// <summary>The daily history and the period summary, for app routes and the platform dashboard alike.</summary>
public sealed class UsageReports(NpgsqlDataSource db, UsageCounters counters, TimeProvider time)
{
    /// <summary>The longest history one call answers (a year and a day).</summary>
    public const int MaxDays = 366;

    /// <summary>
    /// Daily quantities per meter over <paramref name="startDate"/>..<paramref name="endDate"/> (both included,
    /// YYYY-MM-DD, default the last 30 days), optionally one meter. The customer's keys are merged day by day.
    /// </summary>
    public async Task<Page<DailyUsage>> HistoryAsync(string appId, CustomerAccount customer, string? startDate, string? endDate, string? meter,
        IReadOnlyDictionary<string, Meter> meters, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var (start, end) = (Date(startDate, "startDate") ?? today.AddDays(-29), Date(endDate, "endDate") ?? today);
        new Validation()
            .Check(start <= end, "endDate", "endDate must not be before startDate.")
            .Check(end.DayNumber - start.DayNumber < MaxDays, "startDate", $"A history covers at most {MaxDays} days.")
            .Check(meter is null || meters.ContainsKey(meter), "meterType", "meterType names no meter of this app.")
            .ThrowIfInvalid();
        // One customer has at most two keys: merge them per day with the meter's aggregation (sum adds, max
        // keeps the larger, last keeps the later). The primary key (app, customer, meter, day) serves the scan.
        await using var command = db.CreateCommand("""
            select day, meter,
                   case min(aggregation) when 'Sum' then sum(quantity)::bigint when 'Max' then max(quantity)
                        else (array_agg(quantity order by last_at desc))[1] end
              from usage.usage_daily
             where app_id = $1 and customer_key = any($2) and day between $3 and $4 and ($5::text is null or meter = $5)
             group by day, meter
             order by day, meter
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = appId });
        command.Parameters.Add(new NpgsqlParameter { Value = customer.Keys.ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = start });
        command.Parameters.Add(new NpgsqlParameter { Value = end });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)meter ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        var rows = new List<DailyUsage>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            rows.Add(new DailyUsage(reader.GetFieldValue<DateOnly>(0).ToString("yyyy-MM-dd"), reader.GetString(1), reader.GetInt64(2)));
        return new Page<DailyUsage>(rows, HasMore: false);
    }

    /// <summary>This period's usage of every meter the app has, against the plan's limits.</summary>
    public async Task<UsageSummaryResponse> SummaryAsync(string appId, CustomerAccount customer,
        IReadOnlyDictionary<string, Meter> meters, CancellationToken ct)
    {
        var usage = new List<MeterUsage>();
        foreach (var (key, definition) in meters.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            var quantity = await counters.PeriodUsageAsync(appId, customer, key, definition.Aggregation.ToString(), customer.Period, ct);
            usage.Add(customer.Limits.TryGetValue(key, out var limit)
                ? new MeterUsage(key, definition.Unit, quantity, limit, Math.Max(0, limit - quantity), limit > 0 ? Math.Round(quantity * 100.0 / limit, 2) : null)
                : new MeterUsage(key, definition.Unit, quantity, null, null, null));
        }
        return new UsageSummaryResponse(customer.CustomerId, customer.ExternalId, customer.SubscriptionId, customer.PlanId, customer.Status,
            PeriodOf(customer.Period), usage);
    }

    public static PeriodResponse PeriodOf(BillingPeriod period) =>
        new(period.Start.ToString("yyyy-MM-dd"), period.End.AddDays(-1).ToString("yyyy-MM-dd"), period.StartsAt, period.EndsAt);

    private static DateOnly? Date(string? value, string field)
    {
        if (string.IsNullOrEmpty(value)) return null;
        return DateOnly.TryParseExact(value, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var date)
            ? date
            : throw ApiException.Validation(field, $"{field} must be a date YYYY-MM-DD.");
    }
}
