using Billing.Connect.Accounts;
using Billing.Connect.Infrastructure;
using Billing.Connect.Ledger;
using Billing.Connect.Model;
using Billing.ServiceDefaults.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Billing.Connect.Payouts;

/// <summary>
/// A scheduled run's unit of work: the same rules as <see cref="PayoutService.PayAsync"/> for a batch of
/// creators in one period, with a handful of statements and one commit for the whole batch instead of
/// a transaction per creator (a weekly run over thousands of creators is otherwise bound by commits).
/// Under the batch's creator row locks (taken in id order, so concurrent runs queue instead of
/// deadlocking) it skips creators whose period already ran, writes the payouts (pending), their ledger
/// debits and the period rows, and commits; then makes the transfers concurrently (each keyed by its
/// payout id) and records them paid in one statement. A crash after the commit leaves pending payouts
/// for <see cref="PayoutSweeper"/>, as for a manual payout.
/// </summary>
public sealed class ScheduledPayoutBatch(
    ConnectDbContext db, EarningsLedger ledger, AccountStates states, PayoutService payouts, PayoutHooks hooks, IOptions<ConnectOptions> options)
{
    public const int Size = 200;

    /// <param name="stripeCalls">Shared by the run's batches: at most this many transfers in flight, whatever the batches do.</param>
    public async Task<int> PayAsync(IReadOnlyList<string> creatorIds, PayoutTrigger trigger, string period, SemaphoreSlim stripeCalls, CancellationToken ct)
    {
        var ids = creatorIds.Order(StringComparer.Ordinal).ToArray();
        // Accounts no event has confirmed yet are read from Stripe first, as a manual payout does.
        var unconfirmed = await db.ConnectedAccounts.AsNoTracking()
            .Where(a => ids.Contains(a.OwnerId) && a.LastEventAt == null && !a.PayoutsEnabled).Select(a => new { a.AppId, a.OwnerId }).ToListAsync(ct);
        foreach (var account in unconfirmed) await states.CurrentAsync(account.AppId, account.OwnerId, ct);

        var now = ledger.Now;
        var made = new List<Payout>();
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            var locked = await db.Database.SqlQuery<CreatorRow>(
                $"""select id as "Id", app_id as "AppId" from connect.creators where id = any({ids}) order by id for update""").ToListAsync(ct);
            var ran = (await db.Database.SqlQuery<string>(
                $"""select creator_id as "Value" from connect.payout_periods where creator_id = any({ids}) and period = {period}""").ToListAsync(ct)).ToHashSet();
            var accounts = (await db.ConnectedAccounts.AsNoTracking().Where(a => ids.Contains(a.OwnerId)).ToListAsync(ct))
                .ToDictionary(a => (a.AppId, a.OwnerId));
            var available = (await db.Database.SqlQuery<CreatorSum>($"""
                select app_id as "AppId", creator_id as "CreatorId", coalesce(sum(amount_cents), 0)::bigint as "Cents"
                from connect.earnings where creator_id = any({ids}) and currency = {ConnectOptions.Currency} and available_at <= {now}
                group by app_id, creator_id
                """).ToListAsync(ct)).ToDictionary(s => (s.AppId, s.CreatorId), s => s.Cents);

            var periodCreators = new List<string>();
            var outcomes = new List<string>();
            var payoutIds = new List<string?>();
            foreach (var creator in locked.Where(c => !ran.Contains(c.Id)))
            {
                string outcome;
                Payout? payout = null;
                if (!accounts.TryGetValue((creator.AppId, creator.Id), out var account) || !account.PayoutsEnabled)
                    outcome = PayoutErrors.PayoutsNotEnabled;
                else if (available.GetValueOrDefault((creator.AppId, creator.Id)) is var cents && cents < options.Value.MinimumPayoutCents)
                    outcome = PayoutErrors.BelowMinimum;
                else
                {
                    payout = new Payout
                    {
                        Id = Ids.New("pay", now), AppId = creator.AppId, CreatorId = creator.Id, AmountCents = cents,
                        Currency = ConnectOptions.Currency, Status = PayoutStatus.Pending, Trigger = trigger, Period = period,
                        StripeAccountId = account.StripeAccountId, CreatedAt = now, UpdatedAt = now,
                    };
                    made.Add(payout);
                    outcome = "paid";
                }
                periodCreators.Add(creator.Id);
                outcomes.Add(outcome);
                payoutIds.Add(payout?.Id);
            }
            db.Payouts.AddRange(made);
            await db.SaveChangesAsync(ct);
            // The ledger debits and period rows of the whole batch, one statement each (same columns as EarningsLedger.BookAsync).
            string[] apps = [.. made.Select(p => p.AppId)], creators = [.. made.Select(p => p.CreatorId)], sources = [.. made.Select(p => p.Id)];
            long[] debits = [.. made.Select(p => -p.AmountCents)];
            await db.Database.ExecuteSqlInterpolatedAsync($"""
                insert into connect.earnings (app_id, creator_id, kind, source_id, amount_cents, currency, available_at, created_at)
                select v.app_id, v.creator_id, {EarningKind.Payout}, v.source_id, v.amount, {ConnectOptions.Currency}, {now}, {now}
                from unnest({apps}, {creators}, {sources}, {debits}) as v(app_id, creator_id, source_id, amount)
                """, ct);
            string[] periodIds = [.. periodCreators], periodOutcomes = [.. outcomes];
            string?[] periodPayouts = [.. payoutIds];
            await db.Database.ExecuteSqlInterpolatedAsync($"""
                insert into connect.payout_periods (creator_id, period, outcome, payout_id, created_at)
                select v.creator_id, {period}, v.outcome, v.payout_id, {now}
                from unnest({periodIds}, {periodOutcomes}, {periodPayouts}) as v(creator_id, outcome, payout_id)
                """, ct);
            await transaction.CommitAsync(ct);
        }

        var paid = new System.Collections.Concurrent.ConcurrentBag<(string, string)>();
        var refused = new System.Collections.Concurrent.ConcurrentBag<(string, string)>();
        await Parallel.ForEachAsync(made, new ParallelOptions { MaxDegreeOfParallelism = options.Value.SchedulerConcurrency, CancellationToken = ct },
            async (payout, token) =>
            {
                await stripeCalls.WaitAsync(token);
                (global::Stripe.Transfer? Transfer, string? Refusal) result;
                try
                {
                    result = await payouts.MakeTransferAsync(payout, reconcile: false, token);
                }
                finally
                {
                    stripeCalls.Release();
                }
                var (transfer, refusal) = result;
                if (transfer is not null)
                {
                    await hooks.TransferMadeAsync(payout.Id, transfer.Id, token);
                    paid.Add((payout.Id, transfer.Id));
                }
                else if (refusal is not null) refused.Add((payout.Id, refusal));
            });
        await payouts.RecordPaidAsync([.. paid], ct);
        foreach (var (payoutId, reason) in refused) await payouts.FailAsync(payoutId, reason, ct);
        return made.Count;
    }

    private sealed class CreatorRow
    {
        public required string Id { get; init; }
        public required string AppId { get; init; }
    }

    private sealed class CreatorSum
    {
        public required string AppId { get; init; }
        public required string CreatorId { get; init; }
        public long Cents { get; init; }
    }
}
