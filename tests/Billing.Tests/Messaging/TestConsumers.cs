using Billing.ServiceDefaults.Messaging;
using MassTransit;

namespace Billing.Tests.Messaging;

/// <summary>Records every PlanCreated it receives, with its MessageId.</summary>
public sealed class PlanCreatedProbe(Received received) : IConsumer<PlanCreated>
{
    public Task Consume(ConsumeContext<PlanCreated> context)
    {
        received.Add(context.MessageId, context.Message);
        return Task.CompletedTask;
    }
}

public sealed class LedgerEntryRecordedProbe(Received received) : IConsumer<LedgerEntryRecorded>
{
    public Task Consume(ConsumeContext<LedgerEntryRecorded> context)
    {
        received.Add(context.MessageId, context.Message);
        return Task.CompletedTask;
    }
}

/// <summary>
/// Writes a ledger line and stages its LedgerEntryRecorded, both in the inbox transaction.
/// It lingers inside the transaction so that concurrent duplicates really overlap.
/// </summary>
public sealed class CreditLedgerConsumer(MessagingTestDbContext db) : InboxConsumer<CreditRequested, MessagingTestDbContext>(db)
{
    protected override async Task HandleAsync(ConsumeContext<CreditRequested> context)
    {
        var credit = context.Message;
        Db.Ledger.Add(new LedgerEntry { Id = credit.EntryId, AppId = credit.AppId, AmountCents = credit.AmountCents });
        Db.AddOutboxMessage(new LedgerEntryRecorded(Guid.NewGuid(), DateTimeOffset.UtcNow, credit.AppId, credit.EntryId, credit.AmountCents));
        await Task.Delay(150, context.CancellationToken);
    }
}

/// <summary>Writes its ledger line, then fails on the first two attempts, as a dependency having a bad moment would.</summary>
public sealed class FlakyCreditConsumer(MessagingTestDbContext db, Received received) : InboxConsumer<FlakyCreditRequested, MessagingTestDbContext>(db)
{
    protected override Task HandleAsync(ConsumeContext<FlakyCreditRequested> context)
    {
        var credit = context.Message;
        Db.Ledger.Add(new LedgerEntry { Id = credit.EntryId, AppId = credit.AppId, AmountCents = credit.AmountCents });
        received.Add(context.MessageId, credit);
        if (received.Of<FlakyCreditRequested>(c => c.EntryId == credit.EntryId).Count <= 2)
            throw new TimeoutException("the ledger's dependency timed out");
        return Task.CompletedTask;
    }
}

/// <summary>Counts its attempts per MessageId, then fails with the message's reason.</summary>
public sealed class AlwaysFailingConsumer(Received received) : IConsumer<ChargeAttempted>
{
    public Task Consume(ConsumeContext<ChargeAttempted> context)
    {
        received.Add(context.MessageId, context.Message);
        throw new InvalidOperationException(context.Message.Reason);
    }
}
