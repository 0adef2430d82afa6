using Billing.Connect.Infrastructure;
using Billing.Connect.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Billing.Connect.Ledger;

/// <summary>A creator's balance in USD: what can be paid now, what is still held, and a negative remainder carried forward.</summary>
public sealed record Balance(long AvailableCents, long PendingCents, long CarriedForwardCents)
{
    /// <summary>From the signed sums: a negative available sum is a debt that later earnings pay off, never a payout.</summary>
    public static Balance From(long available, long pending) => new(Math.Max(0, available), pending, Math.Max(0, -available));
}

/// <summary>
/// The creators' earnings as an append-only ledger: every booking is a new line, unique on its source
/// (the charge, the refund, the payout), so a redelivered or republished event books nothing more.
/// Balances are sums at a time: lines whose <c>available_at</c> has passed are available, the rest pending.
/// The time is the <see cref="LedgerClock"/> (tests move it to pass the holding period).
/// </summary>
public sealed class EarningsLedger(ConnectDbContext db, LedgerClock clock, IOptions<ConnectOptions> options)
{
    public DateTimeOffset Now => clock.Now;

    /// <summary>Books a line once per (kind, source); false when that source was already booked.</summary>
    public async Task<bool> BookAsync(string appId, string creatorId, string kind, string sourceId, long amountCents, string currency,
        DateTimeOffset availableAt, CancellationToken ct)
    {
        var inserted = await db.Database.ExecuteSqlInterpolatedAsync($"""
            insert into connect.earnings (app_id, creator_id, kind, source_id, amount_cents, currency, available_at, created_at)
            values ({appId}, {creatorId}, {kind}, {sourceId}, {amountCents}, {currency}, {availableAt}, {Now})
            on conflict (kind, source_id) do nothing
            """, ct);
        return inserted == 1;
    }

    /// <summary>A sale's creator share, held for the holding period from now.</summary>
    public Task<bool> BookSaleAsync(string appId, string creatorId, string chargeId, long cents, string currency, CancellationToken ct) =>
        BookAsync(appId, creatorId, EarningKind.Sale, chargeId, cents, currency, Now + options.Value.EarningsHoldingPeriod, ct);

    /// <summary>
    /// A refund takes the creator's share back: from the sale's pending money while it is still held
    /// (same <c>available_at</c>), else from the available balance now, which may go negative and is
    /// then carried forward. A refund seen before its sale counts at once (never pays out too much).
    /// </summary>
    public async Task<bool> BookRefundAsync(string appId, string creatorId, string refundId, string chargeId, long cents, string currency, CancellationToken ct)
    {
        var sale = await db.Earnings.AsNoTracking().Where(e => e.Kind == EarningKind.Sale && e.SourceId == chargeId)
            .Select(e => (DateTimeOffset?)e.AvailableAt).SingleOrDefaultAsync(ct);
        var now = Now;
        return await BookAsync(appId, creatorId, EarningKind.Refund, refundId, -cents, currency, sale > now ? sale.Value : now, ct);
    }

    public async Task<Balance> BalanceAsync(string appId, string creatorId, CancellationToken ct)
    {
        var now = Now;
        var sums = await db.Database.SqlQuery<BalanceSums>($"""
            select coalesce(sum(amount_cents) filter (where available_at <= {now}), 0)::bigint as "Available",
                   coalesce(sum(amount_cents) filter (where available_at > {now}), 0)::bigint as "Pending"
            from connect.earnings where app_id = {appId} and creator_id = {creatorId} and currency = {ConnectOptions.Currency}
            """).SingleAsync(ct);
        return Balance.From(sums.Available, sums.Pending);
    }

    private sealed class BalanceSums
    {
        public long Available { get; init; }
        public long Pending { get; init; }
    }
}
