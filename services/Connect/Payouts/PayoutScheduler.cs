using Billing.Connect.Infrastructure;
using Billing.Connect.Ledger;
using Billing.Connect.Model;
using Billing.ServiceDefaults.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Billing.Connect.Payouts;

/// <summary>
/// Pays weekly and monthly creators once per period (ISO week / month, UTC, by the <see cref="LedgerClock"/>): the
/// first run in a period pays the available balance, or records why not (below the minimum, payouts not
/// enabled), and the balance waits for the next period. The (creator, period) row, written under the
/// creator's row lock, makes a second run, a second replica or two runs at once pay nothing more.
/// Creators are paid in batches (<see cref="ScheduledPayoutBatch"/>).
/// </summary>
public sealed class PayoutScheduler(IServiceScopeFactory scopes, LedgerClock clock, IOptions<ConnectOptions> options, ILogger<PayoutScheduler> logger)
    : PeriodicWork(logger)
{
    // A zero interval turns the loop off: runs are then started by hand (benchmarks, tests).
    protected override bool Enabled => options.Value.SchedulerInterval > TimeSpan.Zero;
    protected override TimeSpan Interval => options.Value.SchedulerInterval;
    // Periods last a week or a month: nothing is lost by waiting one interval, and a restart does not start a run.
    protected override bool RunsAtStart => false;
    protected override Task RunOnceAsync(CancellationToken ct) => RunAsync(ct);

    /// <summary>One run: every scheduled creator whose current period has not run yet. Returns the payouts made.</summary>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var now = clock.Now;
        var week = PayoutPeriods.Of(PayoutFrequency.Weekly, now);
        var month = PayoutPeriods.Of(PayoutFrequency.Monthly, now);
        List<Due> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ConnectDbContext>();
            due = await db.Database.SqlQuery<Due>($"""
                select c.app_id as "AppId", c.id as "CreatorId", c.payout_frequency as "Frequency"
                from connect.creators c
                where c.payout_frequency <> 'manual'
                  and not exists (select 1 from connect.payout_periods p where p.creator_id = c.id
                                  and p.period = case c.payout_frequency when 'weekly' then {week} else {month} end)
                """).ToListAsync(ct);
        }
        var paid = 0;
        // Two batches at a time, so one's statements overlap the other's transfers; the Stripe calls of the
        // whole run share one limit (SchedulerConcurrency).
        using var stripeCalls = new SemaphoreSlim(options.Value.SchedulerConcurrency);
        var batches = due.GroupBy(d => d.Frequency).SelectMany(group => group.Select(d => d.CreatorId).Chunk(ScheduledPayoutBatch.Size)
            .Select(batch => (Batch: batch, Frequency: group.Key)));
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 2, CancellationToken = ct }, async (work, token) =>
        {
            var (trigger, period) = work.Frequency == "weekly" ? (PayoutTrigger.Weekly, week) : (PayoutTrigger.Monthly, month);
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var made = await scope.ServiceProvider.GetRequiredService<ScheduledPayoutBatch>().PayAsync(work.Batch, trigger, period, stripeCalls, token);
                Interlocked.Add(ref paid, made);
            }
            catch (Exception e) when (!token.IsCancellationRequested)
            {
                // One batch's trouble must not stop the others; the next run tries these creators again.
                Logger.LogWarning(e, "Scheduled payouts of {Count} creators for {Period} failed", work.Batch.Length, period);
            }
        });
        return paid;
    }

    private sealed class Due
    {
        public required string AppId { get; init; }
        public required string CreatorId { get; init; }
        public required string Frequency { get; init; }
    }
}
