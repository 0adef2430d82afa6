using System.Linq.Expressions;
using Billing.Orders.Infrastructure;
using Billing.Orders.Ledger;
using Billing.Orders.Model;
using Billing.Stripe;
using Microsoft.EntityFrameworkCore;
using Stripe;

namespace Billing.Orders.Payments;

/// <summary>
/// What Stripe's news means for an order, the same for the webhook consumers and for the routes that
/// read Stripe directly (verify, capture, release, refund). Each change runs with the order locked,
/// moves its status only forward (<see cref="Order"/>'s transitions), and books a deposit's ledger
/// transactions under sources that make them happen once: however often and in whatever order the
/// news arrives, the order and the wallet end the same.
/// </summary>
public sealed class OrderPayments(OrdersDbContext db, LedgerWriter ledger, StripeClient stripe, TimeProvider clock)
{
    /// <summary><c>checkout.session.completed</c>: paid now, or (manual capture) authorized and held.</summary>
    public Task<Order?> SessionCompletedAsync(
        string appId, string sessionId, string? paymentIntentId, string? paymentStatus, long? amountTotal, CancellationToken ct) =>
        WithOrderAsync(appId, o => o.StripeCheckoutSessionId == sessionId, async order =>
        {
            order.StripePaymentIntentId ??= paymentIntentId;
            if (paymentStatus is "paid" or "no_payment_required") await PaidAsync(order, amountTotal ?? order.AmountCents, ct);
            else if (order.CaptureMethod == CaptureMethod.Manual && paymentIntentId is not null) order.MarkHeld();
        }, ct);

    /// <summary><c>checkout.session.expired</c>: never paid.</summary>
    public Task<Order?> SessionExpiredAsync(string appId, string sessionId, CancellationToken ct) =>
        WithOrderAsync(appId, o => o.StripeCheckoutSessionId == sessionId, order => Task.FromResult(order.MarkExpired()), ct);

    public Task<Order?> PaymentSucceededAsync(string appId, string paymentIntentId, long amountReceived, CancellationToken ct) =>
        WithPaymentAsync(appId, paymentIntentId, order => PaidAsync(order, amountReceived, ct), ct);

    public Task<Order?> PaymentFailedAsync(string appId, string paymentIntentId, CancellationToken ct) =>
        WithPaymentAsync(appId, paymentIntentId, order => Task.FromResult(order.MarkFailed()), ct);

    public Task<Order?> PaymentCapturableAsync(string appId, string paymentIntentId, CancellationToken ct) =>
        WithPaymentAsync(appId, paymentIntentId, order => Task.FromResult(order.MarkHeld()), ct);

    public Task<Order?> PaymentCanceledAsync(string appId, string paymentIntentId, CancellationToken ct) =>
        WithPaymentAsync(appId, paymentIntentId, order => Task.FromResult(order.MarkCanceled()), ct);

    /// <summary>
    /// <c>charge.refunded</c> (ours or made in Stripe's dashboard): <paramref name="totalRefundedCents"/> is
    /// Stripe's running total, so a repeat or an older total adds nothing.
    /// </summary>
    public Task<Order?> RefundedAsync(string appId, string paymentIntentId, long chargeAmount, long totalRefundedCents, CancellationToken ct) =>
        WithPaymentAsync(appId, paymentIntentId, async order =>
        {
            // A refund proves the charge was captured, even if that news has not arrived yet.
            if (!order.IsCaptured) await PaidAsync(order, chargeAmount, ct);
            await RecordRefundAsync(order, totalRefundedCents, ct);
        }, ct);

    /// <summary>Runs <paramref name="apply"/> on the order with the order locked, in the caller's transaction or its own.</summary>
    public async Task<Order?> WithOrderAsync(string appId, Expression<Func<Order, bool>> which, Func<Order, Task> apply, CancellationToken ct)
    {
        var owned = db.Database.CurrentTransaction is null;
        await using var transaction = owned ? await db.Database.BeginTransactionAsync(ct) : null;
        var id = await db.Orders.Where(o => o.AppId == appId).Where(which).Select(o => o.Id).SingleOrDefaultAsync(ct);
        if (id is null) return null;
        await db.LockAsync("order:" + id, ct);
        var order = await db.Orders.SingleAsync(o => o.Id == id, ct);
        await db.Entry(order).ReloadAsync(ct);
        await apply(order);
        await db.SaveChangesAsync(ct);
        if (transaction is not null) await transaction.CommitAsync(ct);
        return order;
    }

    /// <summary>
    /// Records a refund's new running total; for a deposit, takes the refunded money back out of the
    /// wallet as far as its balance allows and records the rest as the order's shortfall.
    /// </summary>
    public async Task RecordRefundAsync(Order order, long totalRefundedCents, CancellationToken ct)
    {
        var added = order.RecordRefunded(totalRefundedCents);
        if (added == 0 || order.Kind != OrderKind.Deposit) return;
        var balance = await ledger.LockWalletAsync(order.AppId, order.CustomerId, ct);
        var taken = Math.Min(balance, added);
        order.RefundShortfallCents += added - taken;
        if (taken == 0) return;
        var id = LedgerWriter.NewId();
        await ledger.BookAsync(new LedgerTransaction
        {
            Id = id, AppId = order.AppId, Kind = LedgerKind.DepositRefund, Source = $"deposit_refund:{order.Id}:{order.RefundedCents}",
            CustomerId = order.CustomerId, OrderId = order.Id, AmountCents = taken, Currency = order.Currency,
            Description = "Deposit refunded", CreatedAt = clock.GetUtcNow(),
        }, [new(LedgerAccounts.Wallet(order.CustomerId), -taken), new(LedgerAccounts.StripeClearing, taken)], ct);
    }

    /// <summary>Paid: a deposit credits the wallet with what was captured, once (the source is the order). Call with the order locked.</summary>
    public async Task PaidAsync(Order order, long capturedCents, CancellationToken ct)
    {
        order.MarkPaid(capturedCents, clock.GetUtcNow());
        if (order.Kind != OrderKind.Deposit || !order.IsCaptured || order.CapturedCents == 0) return;
        await ledger.LockWalletAsync(order.AppId, order.CustomerId, ct);
        await ledger.BookAsync(new LedgerTransaction
        {
            Id = LedgerWriter.NewId(), AppId = order.AppId, Kind = LedgerKind.Deposit, Source = "deposit:" + order.Id,
            CustomerId = order.CustomerId, OrderId = order.Id, AmountCents = order.CapturedCents, Currency = order.Currency,
            Description = "Wallet deposit", CreatedAt = clock.GetUtcNow(),
        }, [new(LedgerAccounts.Wallet(order.CustomerId), order.CapturedCents), new(LedgerAccounts.StripeClearing, -order.CapturedCents)], ct);
    }

    // Payment intent events name only the intent: before checkout.session.completed told us which
    // order it pays, the intent's own metadata (order_id, app_id, set at checkout) says it.
    private async Task<Order?> WithPaymentAsync(string appId, string paymentIntentId, Func<Order, Task> apply, CancellationToken ct)
    {
        if (await db.Orders.AnyAsync(o => o.AppId == appId && o.StripePaymentIntentId == paymentIntentId, ct))
            return await WithOrderAsync(appId, o => o.StripePaymentIntentId == paymentIntentId, apply, ct);
        var intent = await stripe.V1.PaymentIntents.GetAsync(paymentIntentId, cancellationToken: ct);
        if (StripeConventions.AppIdOf(intent) != appId || !intent.Metadata.TryGetValue("order_id", out var orderId)) return null;
        return await WithOrderAsync(appId, o => o.Id == orderId, async order =>
        {
            order.StripePaymentIntentId ??= paymentIntentId;
            await apply(order);
        }, ct);
    }
}
