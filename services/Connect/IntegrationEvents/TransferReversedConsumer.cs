using Billing.Connect.Infrastructure;
using Billing.Connect.Payouts;
using Billing.Contracts.Stripe;
using Billing.ServiceDefaults.Api;
using Billing.ServiceDefaults.Messaging;
using MassTransit;

namespace Billing.Connect.IntegrationEvents;

/// <summary>
/// <c>transfer.reversed</c> of a payout's transfer (found by its <c>transfer_group</c>, the payout id) puts
/// the reversed money back into the creator's balance. Order-safe: the amount reversed is a running
/// total, and only what exceeds the total already put back is booked.
/// </summary>
public sealed class TransferReversedConsumer(ConnectDbContext db, PayoutService payouts)
    : InboxConsumer<TransferReversed, ConnectDbContext>(db)
{
    protected override async Task HandleAsync(ConsumeContext<TransferReversed> context)
    {
        var transfer = context.Message.Transfer;
        if (!Ids.HasPrefix(transfer.TransferGroup, "pay")) return;
        await payouts.ReverseAsync(transfer.TransferGroup!, transfer.Id, transfer.AmountReversed, context.CancellationToken);
    }
}

public static class ConnectConsumers
{
    public static void AddConnectConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<AccountUpdatedConsumer>();
        bus.AddConsumer<WalletChargedConsumer>();
        bus.AddConsumer<WalletChargeRefundedConsumer>();
        bus.AddConsumer<TransferReversedConsumer>();
    }
}
