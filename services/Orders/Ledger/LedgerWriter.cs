using Billing.Orders.Infrastructure;
using Billing.Orders.Model;
using Billing.ServiceDefaults.Api;
using Microsoft.EntityFrameworkCore;

namespace Billing.Orders.Ledger;

/// <summary>One ledger line to book: an account and a signed amount.</summary>
public readonly record struct Posting(string Account, long AmountCents);

/// <summary>
/// The single write path of the ledger. Every movement goes through <see cref="BookAsync"/> inside the
/// caller's database transaction: it refuses an unbalanced set of lines (the database checks the same
/// at commit, with a deferred constraint trigger), books a source at most once, and keeps each wallet's
/// cached balance equal to its lines. Wallet movements lock the wallet row first
/// (<see cref="LockWalletAsync"/>), so concurrent movements of one wallet queue and none overdraws it.
/// Marketplace charges, the hot path, are the one exception: each is a single statement of its own
/// (<see cref="WalletDebit"/>) that checks and debits the wallet row, books and stages its event.
/// </summary>
public sealed class LedgerWriter(OrdersDbContext db)
{
    /// <summary>The wallet's balance, with its row locked until the transaction ends (the row is made when missing).</summary>
    public async Task<long> LockWalletAsync(string appId, string customerId, CancellationToken ct)
    {
        RequireTransaction();
        // One statement: makes the row when missing, and the no-op update takes its row lock either way.
        return await db.Database.SqlQuery<long>($"""
            insert into orders.wallets as w (app_id, customer_id) values ({appId}, {customerId})
            on conflict (app_id, customer_id) do update set balance_cents = w.balance_cents
            returning w.balance_cents as "Value"
            """).AsAsyncEnumerable().SingleAsync(ct);
    }

    /// <summary>
    /// Books <paramref name="transaction"/> with <paramref name="postings"/>; false (nothing written) when
    /// its source was booked already. Wallet postings need the wallet locked first.
    /// </summary>
    public async Task<bool> BookAsync(LedgerTransaction transaction, IReadOnlyList<Posting> postings, CancellationToken ct)
    {
        RequireTransaction();
        EnsureBalanced(transaction, postings);

        // ON CONFLICT on the source: of two concurrent bookings of the same cause one inserts, the other
        // waits for it to commit and then books nothing.
        var t = transaction;
        var inserted = await db.Database.ExecuteSqlInterpolatedAsync($"""
            insert into orders.ledger_transactions
                (id, app_id, kind, source, customer_id, creator_id, order_id, charge_id, amount_cents, fee_cents, creator_cents, currency, description, created_at)
            values ({t.Id}, {t.AppId}, {t.Kind.ToString()}, {t.Source}, {t.CustomerId}, {t.CreatorId}, {t.OrderId}, {t.ChargeId},
                    {t.AmountCents}, {t.FeeCents}, {t.CreatorCents}, {t.Currency}, {t.Description}, {t.CreatedAt})
            on conflict (source) do nothing
            """, ct);
        if (inserted == 0) return false;

        var accounts = postings.Select(p => p.Account).ToArray();
        var amounts = postings.Select(p => p.AmountCents).ToArray();
        var wallets = postings.Where(p => p.Account.StartsWith(LedgerAccounts.WalletPrefix, StringComparison.Ordinal)).ToList();
        if (wallets.Count > 1) throw new InvalidOperationException($"Ledger transaction {t.Id} moves more than one wallet.");
        if (wallets.Count == 0)
        {
            await db.Database.ExecuteSqlInterpolatedAsync($"""
                insert into orders.ledger_lines (transaction_id, app_id, account, amount_cents, currency, created_at)
                select {t.Id}, {t.AppId}, p.account, p.amount, {t.Currency}, {t.CreatedAt} from unnest({accounts}, {amounts}) as p (account, amount)
                """, ct);
            return true;
        }
        // The lines and the wallet's cached balance in one statement (one round trip while the wallet is locked).
        // The check constraint (balance_cents >= 0) stops an overdraft even if a caller forgot to check.
        var customerId = wallets[0].Account[LedgerAccounts.WalletPrefix.Length..];
        var updated = await db.Database.ExecuteSqlInterpolatedAsync($"""
            with lines as (
                insert into orders.ledger_lines (transaction_id, app_id, account, amount_cents, currency, created_at)
                select {t.Id}, {t.AppId}, p.account, p.amount, {t.Currency}, {t.CreatedAt} from unnest({accounts}, {amounts}) as p (account, amount)
                returning 1)
            update orders.wallets set balance_cents = balance_cents + {wallets[0].AmountCents}
            where app_id = {t.AppId} and customer_id = {customerId} and (select count(*) from lines) = {postings.Count}
            """, ct);
        if (updated != 1) throw new InvalidOperationException($"Wallet {wallets[0].Account} was not locked before booking.");
        return true;
    }

    /// <summary>A new ledger transaction id.</summary>
    public static string NewId() => Ids.New("wtx");

    /// <summary>
    /// A wallet's balance: its row's cached sum, which every movement updates in the transaction that writes its lines
    /// (so any committed state has the two equal), rather than summing the lines, whose number grows with every charge.
    /// 0 for a wallet that never moved.
    /// </summary>
    public async Task<long> WalletBalanceAsync(string appId, string customerId, CancellationToken ct) =>
        await db.Wallets.AsNoTracking().Where(w => w.AppId == appId && w.CustomerId == customerId)
            .Select(w => (long?)w.BalanceCents).SingleOrDefaultAsync(ct) ?? 0;

    private static void EnsureBalanced(LedgerTransaction transaction, IReadOnlyList<Posting> postings)
    {
        if (postings.Count < 2 || postings.Sum(p => p.AmountCents) != 0 || postings.Any(p => p.AmountCents == 0))
            throw new InvalidOperationException($"Ledger transaction {transaction.Id} is not balanced: {string.Join(", ", postings)}.");
    }

    private void RequireTransaction()
    {
        if (db.Database.CurrentTransaction is null)
            throw new InvalidOperationException("The ledger is written inside a database transaction.");
    }
}
