using Billing.ServiceDefaults.Api;
using Billing.ServiceDefaults.Messaging;
using Billing.Webhooks.Model;
using Billing.Webhooks.Normalization;
using Npgsql;

namespace Billing.Webhooks.Ingest;

/// <summary>Stored: the first copy, committed with its outbox message. Duplicate: already stored; nothing new published.</summary>
public enum IngestOutcome { Stored, Duplicate }

/// <summary>
/// The one code path by which a Stripe event enters the system, whether a webhook delivered it
/// or the reconciler found it: the raw event and its normalized integration event commit in one
/// statement, once per Stripe event id.
/// </summary>
public sealed class StripeEventIngestor(ReceivedEventWriter writer, ConnectedAccountApps accountApps)
{
    /// <exception cref="NpgsqlException">Postgres is unreachable or failed: nothing was stored, the caller must not acknowledge.</exception>
    public async Task<IngestOutcome> IngestAsync(SnapshotEvent stripeEvent, EventSource source, CancellationToken ct)
    {
        var appId = await accountApps.AppOfAsync(stripeEvent, ct);
        var message = StripeEventNormalizer.Normalize(stripeEvent, appId);
        var received = new ReceivedEvent
        {
            Id = Ids.New("whe"),
            StripeEventId = stripeEvent.Id,
            Type = stripeEvent.Type,
            AppId = appId,
            Account = stripeEvent.Account,
            StripeCreatedAt = stripeEvent.Created,
            Payload = stripeEvent.Payload,
            Status = message is null ? ProcessingStatus.Ignored : ProcessingStatus.Published,
            Source = source,
        };
        return await writer.WriteAsync(received, message is null ? null : OutboxMessage.Create(message), ct);
    }
}
