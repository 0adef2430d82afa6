using Billing.Contracts.Wallet;
using Billing.Orders.Infrastructure;
using Billing.Orders.Ledger;
using Billing.Orders.Model;
using Billing.ServiceDefaults.Errors;
using Billing.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Billing.Orders.Charges;

/// <summary>Marketplace charges against a wallet and their refunds, each one ledger transaction plus its event, in one database transaction.</summary>
public sealed class WalletCharges(OrdersDbContext db, LedgerWriter ledger, WalletChargeQueue queue, TimeProvider clock)
{
    /// <summary>
    /// Debits the wallet by <paramref name="amountCents"/>: the app keeps its fee, the creator (if any) is
    /// owed the rest. 402 <c>insufficient_funds</c> when the balance is short. The check, the booking and
    /// the <c>WalletCharged</c> row are one statement (<see cref="WalletDebit"/>), committed with the other
    /// charges queued on the same wallet (<see cref="WalletChargeQueue"/>), so concurrent charges of one
    /// wallet share commits and none overdraws it. With a <paramref name="key"/>, the charge is booked once
    /// per key: when it was booked before (a retry after a lost answer) that charge is answered, with the
    /// wallet's balance now, and nothing moves; if it was another charge (customer, amount, creator or
    /// description), 422 <c>idempotency_key_mismatch</c>, as the middleware answers a changed body.
    /// </summary>
    public async Task<(LedgerTransaction Charge, long BalanceCents)> ChargeAsync(
        string appId, string customerId, long amountCents, string? creatorId, string description, ChargeKey? key, CancellationToken ct)
    {
        var id = LedgerWriter.NewId();
        var debit = new WalletDebit(id, key?.SourceIn(appId) ?? "charge:" + id, appId, customerId, amountCents, creatorId, description, "usd",
            clock.GetUtcNow());
        if (await queue.DebitAsync(debit, ct) is not { } booked)
        {
            var held = await ledger.WalletBalanceAsync(appId, customerId, ct);
            var error = new ApiException(402, ErrorCodes.InsufficientFunds,
                $"The wallet holds {held} cents; this charge needs {amountCents}.");
            error.Extensions["balanceCents"] = held;
            throw error;
        }
        var charge = booked.Charge;
        if (booked.Replayed && (charge.CustomerId, charge.AmountCents, charge.CreatorId, charge.Description, charge.Currency)
            != (customerId, amountCents, creatorId, description, debit.Currency))
            throw new ApiException(422, ErrorCodes.IdempotencyKeyMismatch, "This Idempotency-Key was already used with a different charge.");
        return (charge, booked.BalanceCents);
    }

    /// <summary>
    /// Returns <paramref name="amountCents"/> (default: all not yet refunded) of a charge to the wallet,
    /// taking back the fee and the creator's share in proportion; the last refund takes exactly what is
    /// left of each, so rounding never leaves a cent behind. Never more than was charged (409).
    /// </summary>
    public async Task<(LedgerTransaction Refund, long RefundedTotal)> RefundAsync(string appId, string chargeId, long? amountCents, CancellationToken ct)
    {
        var charge = await db.LedgerTransactions.AsNoTracking()
            .SingleOrDefaultAsync(t => t.AppId == appId && t.Id == chargeId && t.Kind == LedgerKind.Charge, ct)
            ?? throw ApiException.NotFound("The charge");

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // The wallet lock also serializes the refunds of this charge: the totals below cannot move under us.
        await ledger.LockWalletAsync(appId, charge.CustomerId!, ct);
        var earlier = await db.LedgerTransactions.AsNoTracking().Where(t => t.ChargeId == charge.Id)
            .GroupBy(t => 1).Select(g => new { Amount = g.Sum(t => t.AmountCents), Creator = g.Sum(t => t.CreatorCents) })
            .SingleOrDefaultAsync(ct);
        var refundedBefore = earlier?.Amount ?? 0;
        var left = charge.AmountCents - refundedBefore;
        var amount = amountCents ?? left;
        if (left == 0) throw ApiException.Conflict("This charge has been refunded in full already.");
        if (amount > left) throw ApiException.Conflict($"Only {left} cents of this charge are left to refund.");

        var creatorLeft = charge.CreatorCents - (earlier?.Creator ?? 0);
        var creatorPart = amount == left ? creatorLeft : Math.Min(creatorLeft, charge.CreatorCents * amount / charge.AmountCents);
        var feePart = amount - creatorPart;
        var refundId = LedgerWriter.NewId();
        var refund = new LedgerTransaction
        {
            Id = refundId, Source = "charge_refund:" + refundId, AppId = appId, Kind = LedgerKind.ChargeRefund, CustomerId = charge.CustomerId,
            CreatorId = charge.CreatorId, ChargeId = charge.Id, AmountCents = amount, FeeCents = feePart, CreatorCents = creatorPart,
            Currency = charge.Currency, Description = charge.Description, CreatedAt = clock.GetUtcNow(),
        };
        var postings = new List<Posting> { new(LedgerAccounts.Wallet(charge.CustomerId!), amount) };
        if (feePart > 0) postings.Add(new(LedgerAccounts.PlatformRevenue, -feePart));
        if (creatorPart > 0) postings.Add(new(LedgerAccounts.Creator(charge.CreatorId!), -creatorPart));
        await ledger.BookAsync(refund, postings, ct);
        db.AddOutboxMessage(new WalletChargeRefunded(Guid.NewGuid(), refund.CreatedAt, appId, refund.Id, charge.Id, charge.CustomerId!,
            charge.CreatorId, amount, feePart, creatorPart, charge.Currency));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return (refund, refundedBefore + amount);
    }
}
