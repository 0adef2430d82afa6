using Billing.Contracts.Usage;
using Billing.ServiceDefaults.Messaging;
using Billing.Usage.Customers;
using Billing.Usage.Infrastructure;
using Billing.Usage.Ingestion;
using Billing.Usage.Model;
using Microsoft.EntityFrameworkCore;

namespace Billing.Usage.Entitlements;

/// <summary>
/// After a batch commits: for each customer and meter it touched that has a limit, raises
/// <see cref="UsageThresholdReached"/> at 80 % and 100 % of the limit, once per period. The alert row's
/// primary key (customer, meter, period, threshold) makes "once" hold across batches and replicas; the
/// event goes through the outbox in the same transaction as the row. Run after the commit, so a crash in
/// between delays the alert to the customer's next batch rather than losing it.
/// </summary>
public sealed class UsageAlerts(UsageDbContext db, CustomerDirectory customers, UsageCounters counters, TimeProvider time)
{
    public static readonly int[] Thresholds = [80, 100];

    /// <summary>For a batch of an app some plan of which has limits (the writer says so: no other app can owe an alert).</summary>
    public async Task RaiseAsync(string appId, IReadOnlyList<DailyAggregate> aggregates, IReadOnlyDictionary<string, Meter> meters, CancellationToken ct)
    {
        if (aggregates.Count == 0) return;
        foreach (var byCustomer in aggregates.GroupBy(a => a.CustomerKey))
        {
            var key = byCustomer.Key;
            var customer = key.StartsWith(CustomerAccount.ExternalPrefix, StringComparison.Ordinal)
                ? await customers.FindAsync(appId, null, key[CustomerAccount.ExternalPrefix.Length..], ct)
                : await customers.FindAsync(appId, key, null, ct);
            if (customer is null) continue;
            foreach (var meter in byCustomer.Select(a => a.Meter).Distinct())
            {
                if (!customer.Limits.TryGetValue(meter, out var limit) || limit <= 0 || !meters.TryGetValue(meter, out var definition)) continue;
                var used = await counters.PeriodUsageAsync(appId, customer, meter, definition.Aggregation.ToString(), customer.Period, ct);
                foreach (var threshold in Thresholds.Where(t => used * 100 >= limit * t))
                    await RaiseOnceAsync(appId, customer, meter, threshold, used, limit, ct);
            }
        }
    }

    private async Task RaiseOnceAsync(string appId, CustomerAccount customer, string meter, int threshold, long used, long limit, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var inserted = await db.Database.ExecuteSqlAsync($"""
            insert into usage.usage_alerts (app_id, customer_key, meter, period_start, threshold, quantity, usage_limit)
            values ({appId}, {customer.Key}, {meter}, {customer.Period.Start}, {threshold}, {used}, {limit})
            on conflict do nothing
            """, ct);
        if (inserted == 0) return;
        db.AddOutboxMessage(new UsageThresholdReached(Guid.NewGuid(), time.GetUtcNow(), appId, customer.Key, meter, threshold, used, limit, customer.Period.Start));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }
}
