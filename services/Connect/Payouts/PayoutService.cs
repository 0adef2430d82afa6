using Billing.Connect.Accounts;
using Billing.Connect.Infrastructure;
using Billing.Connect.Ledger;
using Billing.Connect.Model;
using Billing.ServiceDefaults.Api;
using Billing.ServiceDefaults.Errors;
using Billing.Stripe;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Stripe;
using Payout = Billing.Connect.Model.Payout;

namespace Billing.Connect.Payouts;

/// <summary>
/// Pays a creator's available balance: in one transaction under the creator's row lock, the payout row
/// (pending) and its ledger debit (so a concurrent payout sees the money gone); then the Stripe transfer,
/// keyed by the payout id (idempotency key and <c>transfer_group</c>); then the payout recorded paid.
/// A crash or outage after the commit leaves a pending payout that <see cref="PayoutSweeper"/> finishes
/// with the same transfer, so the creator is paid exactly once.
/// </summary>
public sealed class PayoutService(
    ConnectDbContext db, EarningsLedger ledger, AccountStates states, StripeClient stripe, PayoutHooks hooks,
    IOptions<ConnectOptions> options, ILogger<PayoutService> logger)
{
    /// <summary>
    /// A manual payout (<paramref name="period"/> null) refuses with a 400 when it cannot pay; a scheduled
    /// one records its period's outcome (paid or why not) and returns null when nothing was paid, or when
    /// the period was already run (by another run or replica).
    /// </summary>
    public async Task<Payout?> PayAsync(string appId, string creatorId, PayoutTrigger trigger, string? period, CancellationToken ct)
    {
        // Refreshed from Stripe when no account.updated has come yet (outside the transaction: a Stripe read).
        var account = await states.CurrentAsync(appId, creatorId, ct);
        var now = ledger.Now;
        Payout? payout = null;
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            var creator = await db.Database.SqlQuery<string>(
                $"""select id as "Value" from connect.creators where id = {creatorId} and app_id = {appId} for update""").ToListAsync(ct);
            if (creator.Count == 0) throw ApiException.NotFound("The creator");
            if (period is not null && await db.Database.SqlQuery<string>(
                    $"""select period as "Value" from connect.payout_periods where creator_id = {creatorId} and period = {period}""").AnyAsync(ct))
                return null;

            string outcome;
            if (account is not { PayoutsEnabled: true })
            {
                if (period is null) throw PayoutErrors.NotEnabled();
                outcome = PayoutErrors.PayoutsNotEnabled;
            }
            else if (await ledger.BalanceAsync(appId, creatorId, ct) is var balance && balance.AvailableCents < options.Value.MinimumPayoutCents)
            {
                if (period is null) throw PayoutErrors.Below(balance.AvailableCents, options.Value.MinimumPayoutCents);
                outcome = PayoutErrors.BelowMinimum;
            }
            else
            {
                payout = new Payout
                {
                    Id = Ids.New("pay", now), AppId = appId, CreatorId = creatorId, AmountCents = balance.AvailableCents,
                    Currency = ConnectOptions.Currency, Status = PayoutStatus.Pending, Trigger = trigger, Period = period,
                    StripeAccountId = account.StripeAccountId, CreatedAt = now, UpdatedAt = now,
                };
                db.Payouts.Add(payout);
                await ledger.BookAsync(appId, creatorId, EarningKind.Payout, payout.Id, -payout.AmountCents, payout.Currency, now, ct);
                outcome = "paid";
            }
            if (period is not null)
                await db.Database.ExecuteSqlInterpolatedAsync($"""
                    insert into connect.payout_periods (creator_id, period, outcome, payout_id, created_at)
                    values ({creatorId}, {period}, {outcome}, {payout?.Id}, {now})
                    """, ct);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        return payout is null ? null : await TransferAsync(payout, reconcile: false, ct);
    }

    /// <summary>
    /// Makes (or finds) the payout's transfer and records the result. <paramref name="reconcile"/>: first
    /// look for a transfer of this payout's group (one made before a crash, even after Stripe forgot the
    /// idempotency key); either way the create repeats the same key, so Stripe answers the same transfer.
    /// </summary>
    public async Task<Payout> TransferAsync(Payout payout, bool reconcile, CancellationToken ct)
    {
        if (payout.Status != PayoutStatus.Pending) return payout;
        var (transfer, refusal) = await MakeTransferAsync(payout, reconcile, ct);
        if (refusal is not null) return await FailAsync(payout.Id, refusal, ct);
        if (transfer is null) return payout;
        await hooks.TransferMadeAsync(payout.Id, transfer.Id, ct);
        await RecordPaidAsync(payout.Id, transfer.Id, ct);
        return await db.Payouts.AsNoTracking().SingleAsync(p => p.Id == payout.Id, ct);
    }

    /// <summary>
    /// The Stripe side of a payout, touching no database (so payouts of a batch can run it concurrently):
    /// the transfer; or the refusal Stripe would repeat; or neither when Stripe did not answer (left pending).
    /// </summary>
    public async Task<(Transfer? Transfer, string? Refusal)> MakeTransferAsync(Payout payout, bool reconcile, CancellationToken ct)
    {
        try
        {
            var found = reconcile
                ? (await stripe.V1.Transfers.ListAsync(new TransferListOptions { TransferGroup = payout.Id, Limit = 1 }, cancellationToken: ct)).Data.FirstOrDefault()
                : null;
            return (found ?? await stripe.V1.Transfers.CreateAsync(new TransferCreateOptions
            {
                Amount = payout.AmountCents,
                Currency = payout.Currency,
                Destination = payout.StripeAccountId,
                TransferGroup = payout.Id,
                Description = $"Payout {payout.Id}",
                Metadata = StripeConventions.AppMetadata(payout.AppId, new Dictionary<string, string>
                {
                    ["creator_id"] = payout.CreatorId, ["payout_id"] = payout.Id,
                }),
            }, StripeConventions.Change(IdempotencyKeys.From("payout", payout.Id)), ct), null);
        }
        catch (StripeException e) when (IsRefusal(e))
        {
            return (null, e.StripeError?.Message ?? e.Message);
        }
        catch (Exception e) when (StripeErrors.IsStripeFailure(e) && !ct.IsCancellationRequested)
        {
            logger.LogWarning("Payout {Payout}: Stripe did not answer the transfer ({Error}); the sweeper finishes it", payout.Id, e.Message);
            return (null, null);
        }
    }

    /// <summary>Records many payouts paid in one statement (a scheduled batch); each only if still pending.</summary>
    public async Task RecordPaidAsync(IReadOnlyList<(string PayoutId, string TransferId)> paid, CancellationToken ct)
    {
        if (paid.Count == 0) return;
        var ids = paid.Select(p => p.PayoutId).ToArray();
        var transfers = paid.Select(p => p.TransferId).ToArray();
        var now = ledger.Now;
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            update connect.payouts p set status = 'paid', stripe_transfer_id = v.transfer_id, paid_at = {now}, updated_at = {now}
            from unnest({ids}, {transfers}) as v(payout_id, transfer_id)
            where p.id = v.payout_id and p.status = 'pending'
            """, ct);
    }

    /// <summary>Pending becomes paid with its transfer; a payout already settled is left as it is.</summary>
    public Task RecordPaidAsync(string payoutId, string transferId, CancellationToken ct)
    {
        var now = ledger.Now;
        return db.Payouts.Where(p => p.Id == payoutId && p.Status == PayoutStatus.Pending).ExecuteUpdateAsync(s => s
            .SetProperty(p => p.Status, PayoutStatus.Paid).SetProperty(p => p.StripeTransferId, transferId)
            .SetProperty(p => p.PaidAt, now).SetProperty(p => p.UpdatedAt, now), ct);
    }

    /// <summary>Stripe refused the transfer: the payout failed and its money goes back to the creator's available balance.</summary>
    public async Task<Payout> FailAsync(string payoutId, string reason, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var payout = await LockAsync(payoutId, ct);
        if (payout.Status == PayoutStatus.Pending)
        {
            logger.LogWarning("Payout {Payout} refused by Stripe: {Reason}", payoutId, reason);
            payout.Status = PayoutStatus.Failed;
            payout.FailureReason = reason.Length > 500 ? reason[..500] : reason;
            payout.UpdatedAt = ledger.Now;
            await ledger.BookAsync(payout.AppId, payout.CreatorId, EarningKind.PayoutFailed, payout.Id, payout.AmountCents, payout.Currency, ledger.Now, ct);
            await db.SaveChangesAsync(ct);
        }
        await transaction.CommitAsync(ct);
        return payout;
    }

    /// <summary>
    /// <c>transfer.reversed</c>: the reversed amount (a running total) beyond what was already put back
    /// returns to the creator's available balance, once per total; the payout is marked reversed. Runs
    /// in the caller's transaction. False when the transfer is not one of our payouts.
    /// </summary>
    public async Task<bool> ReverseAsync(string payoutId, string transferId, long amountReversed, CancellationToken ct)
    {
        var payout = await db.Payouts.FromSqlInterpolated($"select * from connect.payouts where id = {payoutId} for update").SingleOrDefaultAsync(ct);
        if (payout is null) return false;
        var now = ledger.Now;
        // The reversal can arrive before the transfer's result was recorded (a crash): the transfer exists, so it was paid.
        if (payout.Status == PayoutStatus.Pending)
        {
            (payout.Status, payout.StripeTransferId, payout.PaidAt) = (PayoutStatus.Paid, transferId, now);
        }
        var back = Math.Min(amountReversed, payout.AmountCents) - payout.ReversedCents;
        if (back <= 0) return true;
        await ledger.BookAsync(payout.AppId, payout.CreatorId, EarningKind.PayoutReversal, $"{payout.Id}:{amountReversed}", back, payout.Currency, now, ct);
        payout.ReversedCents += back;
        payout.Status = PayoutStatus.Reversed;
        payout.UpdatedAt = now;
        return true;
    }

    private Task<Payout> LockAsync(string payoutId, CancellationToken ct) =>
        db.Payouts.FromSqlInterpolated($"select * from connect.payouts where id = {payoutId} for update").SingleAsync(ct);

    // A refusal stays a refusal when repeated; 409 (key in flight), 429 and 5xx are worth another try.
    private static bool IsRefusal(StripeException e) => (int)e.HttpStatusCode is >= 400 and < 500 and not 409 and not 429;
}
