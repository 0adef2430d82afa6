using Billing.Catalog.Infrastructure;
using Billing.Catalog.StripeSync;
using Billing.Contracts.Catalog;
using Billing.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Billing.Catalog.Replay;

/// <summary>
/// Answers <see cref="PlansReplayRequested"/>: the PlanChanged of every plan of the app, in the state and version it has
/// now, through the outbox in one transaction (so the answer goes out whole or, on a retry, again). A duplicate request
/// is dropped by the inbox; an extra answer is harmless, consumers keep the highest version.
/// </summary>
public sealed class PlansReplayConsumer(CatalogDbContext db, ILogger<PlansReplayConsumer> logger)
    : InboxConsumer<PlansReplayRequested, CatalogDbContext>(db)
{
    protected override async Task HandleAsync(ConsumeContext<PlansReplayRequested> context)
    {
        var request = context.Message;
        var plans = await Db.Plans.AsNoTracking().Include(p => p.Prices).Where(p => p.AppId == request.AppId)
            .OrderBy(p => p.Id).ToListAsync(context.CancellationToken);
        var now = DateTimeOffset.UtcNow;
        foreach (var plan in plans) Db.AddOutboxMessage(new PlanChanged(Guid.NewGuid(), now, plan.AppId, CatalogEvents.StateOf(plan)));
        logger.LogInformation("Replaying {Count} plans of {AppId} for {RequestedBy}", plans.Count, request.AppId, request.RequestedBy);
    }
}
