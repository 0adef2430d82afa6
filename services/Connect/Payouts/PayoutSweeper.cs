using Billing.Connect.Infrastructure;
using Billing.Connect.Ledger;
using Billing.Connect.Model;
using Billing.ServiceDefaults.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Billing.Connect.Payouts;

/// <summary>
/// Finishes payouts left pending longer than <see cref="ConnectOptions.PayoutTakeOverAfter"/>: a crash
/// between our commit and the transfer's recording, or Stripe down. It looks the transfer up by its
/// group and otherwise repeats the same idempotent create, so each payout is paid once. Replicas may
/// both try one payout: Stripe answers both with the one transfer and the recording is conditional.
/// </summary>
public sealed class PayoutSweeper(IServiceScopeFactory scopes, LedgerClock clock, IOptions<ConnectOptions> options, ILogger<PayoutSweeper> logger)
    : PeriodicWork(logger)
{
    protected override TimeSpan Interval => options.Value.PayoutSweepInterval;
    // At start: payouts a crash left pending are the reason this exists.
    protected override bool RunsAtStart => true;
    protected override Task RunOnceAsync(CancellationToken ct) => SweepAsync(ct);

    /// <summary>Finishes what is due; returns how many payouts it looked at.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConnectDbContext>();
        var payouts = scope.ServiceProvider.GetRequiredService<PayoutService>();
        var due = clock.Now - options.Value.PayoutTakeOverAfter;
        var pending = await db.Payouts.AsNoTracking().Where(p => p.Status == PayoutStatus.Pending && p.CreatedAt <= due)
            .OrderBy(p => p.CreatedAt).Take(100).ToListAsync(ct);
        foreach (var payout in pending) await payouts.TransferAsync(payout, reconcile: true, ct);
        return pending.Count;
    }
}
