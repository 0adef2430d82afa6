using Billing.Connect.Infrastructure;
using Billing.Connect.Ledger;
using Billing.Contracts.Wallet;
using Billing.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Billing.Connect.IntegrationEvents;

// Each booking is unique on its source (the charge, the refund) as well as on the MessageId (inbox), so
// the same charge republished under a new MessageId still books once. A creator id we do not know is
// booked all the same (nothing owed is dropped) and logged: its lines show once such a creator exists
// in that app, never in another.

/// <summary>A wallet charge credits its creator's share, pending for the holding period.</summary>
public sealed class WalletChargedConsumer(ConnectDbContext db, EarningsLedger ledger, ILogger<WalletChargedConsumer> logger)
    : InboxConsumer<WalletCharged, ConnectDbContext>(db)
{
    protected override async Task HandleAsync(ConsumeContext<WalletCharged> context)
    {
        var e = context.Message;
        if (e.CreatorId is null || e.CreatorCents <= 0) return;
        if (!await Db.Creators.AnyAsync(c => c.AppId == e.AppId && c.Id == e.CreatorId, context.CancellationToken))
            logger.LogWarning("Wallet charge {Charge} of {App} names unknown creator {Creator}; booked anyway", e.ChargeId, e.AppId, e.CreatorId);
        await ledger.BookSaleAsync(e.AppId, e.CreatorId, e.ChargeId, e.CreatorCents, e.Currency.ToLowerInvariant(), context.CancellationToken);
    }
}

/// <summary>A refunded wallet charge takes the creator's share back.</summary>
public sealed class WalletChargeRefundedConsumer(ConnectDbContext db, EarningsLedger ledger)
    : InboxConsumer<WalletChargeRefunded, ConnectDbContext>(db)
{
    protected override async Task HandleAsync(ConsumeContext<WalletChargeRefunded> context)
    {
        var e = context.Message;
        if (e.CreatorId is null || e.CreatorCents <= 0) return;
        await ledger.BookRefundAsync(e.AppId, e.CreatorId, e.RefundId, e.ChargeId, e.CreatorCents, e.Currency.ToLowerInvariant(), context.CancellationToken);
    }
}
