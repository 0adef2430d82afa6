using Billing.ServiceDefaults.Messaging;
using Billing.Webhooks.Infrastructure;
using Billing.Webhooks.Model;
using Billing.Webhooks.Normalization;
using Microsoft.EntityFrameworkCore;

namespace Billing.Webhooks.Ingest;

/// <summary>
/// Publishes stored events again through the outbox: normalized afresh from the stored payload,
/// with a new EventId and MessageId (so consumers' inboxes do not drop them), and the
/// <see cref="ReplayHeader"/> header so a consumer can tell a replay from a first delivery.
/// </summary>
public sealed class EventReplayer(WebhooksDbContext db)
{
    public const string ReplayHeader = "Billing-Replay";

    private static readonly IReadOnlyDictionary<string, string> Headers = new Dictionary<string, string> { [ReplayHeader] = "true" };

    /// <summary>Stages and commits a replay of each event whose type is published; returns the Stripe ids replayed.</summary>
    public async Task<IReadOnlyList<string>> ReplayAsync(IReadOnlyList<ReceivedEvent> events, CancellationToken ct)
    {
        var replayed = new List<string>();
        foreach (var received in events)
        {
            var message = StripeEventNormalizer.Normalize(SnapshotEvent.Parse(received.Payload), received.AppId);
            if (message is null) continue;
            db.AddOutboxMessage(message, Headers);
            replayed.Add(received.StripeEventId);
        }
        // One transaction: the replays are staged and a failed event is published again, or neither.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.ReceivedEvents.Where(e => replayed.Contains(e.StripeEventId) && e.Status == ProcessingStatus.Failed)
            .ExecuteUpdateAsync(set => set.SetProperty(e => e.Status, ProcessingStatus.Published), ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return replayed;
    }

    public Task<List<ReceivedEvent>> InRangeAsync(DateTimeOffset from, DateTimeOffset to, string? type, int limit, CancellationToken ct)
    {
        var query = db.ReceivedEvents.AsNoTracking().Where(e => e.StripeCreatedAt >= from && e.StripeCreatedAt < to);
        if (type is not null) query = query.Where(e => e.Type == type);
        return query.OrderBy(e => e.StripeCreatedAt).ThenBy(e => e.Id).Take(limit).ToListAsync(ct);
    }
}
