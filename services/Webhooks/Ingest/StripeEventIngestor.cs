using System.Data.Common;
using Billing.ServiceDefaults.Api;
using Billing.ServiceDefaults.Messaging;
using Billing.Stripe;
using Billing.Webhooks.Infrastructure;
using Billing.Webhooks.Model;
using Billing.Webhooks.Normalization;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Billing.Webhooks.Ingest;

/// <summary>Stored: the first copy, committed with its outbox message. Duplicate: already stored; nothing new published.</summary>
public enum IngestOutcome { Stored, Duplicate }

/// <summary>
/// The one code path by which a Stripe event enters the system, whether a webhook delivered it
/// or the reconciler found it: the raw event and its normalized integration event commit in one
/// transaction, once per Stripe event id.
/// </summary>
public sealed class StripeEventIngestor(WebhooksDbContext db)
{
    // ON CONFLICT DO NOTHING waits for a concurrent insert of the same id and then inserts
    // nothing: of five simultaneous deliveries exactly one stores and stages the outbox row.
    private const string Insert = $$"""
        insert into {{WebhooksService.Name}}.received_events
            (id, stripe_event_id, type, app_id, account, stripe_created_at, payload, status, source, received_at)
        values (@id, @stripe_event_id, @type, @app_id, @account, @created, @payload, @status, @source, now())
        on conflict (stripe_event_id) do nothing
        """;

    /// <param name="payload">The event's JSON as Stripe sent it (snapshot form), kept for replays and audits.</param>
    /// <exception cref="DbException">Postgres is unreachable or failed: nothing was stored, the caller must not acknowledge.</exception>
    public async Task<IngestOutcome> IngestAsync(StripeEvent stripeEvent, string payload, EventSource source, CancellationToken ct)
    {
        var message = StripeEventNormalizer.Normalize(stripeEvent);
        var status = message is null ? ProcessingStatus.Ignored : ProcessingStatus.Published;

        // The transaction is ours and short: a savepoint around SaveChanges would only add round trips.
        db.Database.AutoSavepointsEnabled = false;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var inserted = await db.Database.ExecuteSqlRawAsync(Insert,
        [
            Text("id", Ids.New("whe")), Text("stripe_event_id", stripeEvent.Id), Text("type", stripeEvent.Type),
            Text("app_id", StripeEventNormalizer.AppIdOf(stripeEvent)), Text("account", stripeEvent.Account),
            new NpgsqlParameter("created", NpgsqlDbType.TimestampTz) { Value = stripeEvent.Created },
            new NpgsqlParameter("payload", NpgsqlDbType.Jsonb) { Value = payload },
            Text("status", status.ToString()), Text("source", source.ToString()),
        ], ct);
        if (inserted == 0) return IngestOutcome.Duplicate;

        if (message is not null)
        {
            db.AddOutboxMessage(message);
            await db.SaveChangesAsync(ct);
        }
        await transaction.CommitAsync(ct);
        return IngestOutcome.Stored;
    }

    private static NpgsqlParameter Text(string name, string? value) => new(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value };
}
