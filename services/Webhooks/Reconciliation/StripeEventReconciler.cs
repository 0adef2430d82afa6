using Billing.Webhooks.Infrastructure;
using Billing.Webhooks.Ingest;
using Billing.Webhooks.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Stripe;

namespace Billing.Webhooks.Reconciliation;

/// <summary>
/// Heals lost deliveries: every <see cref="WebhooksOptions.ReconcileInterval"/> it lists Stripe's
/// events created since the stored high-water mark (less <see cref="WebhooksOptions.ReconcileOverlap"/>)
/// and ingests any we never stored, through the webhook's own <see cref="StripeEventIngestor"/>:
/// the platform's events, then each connected account's (listed with <c>Stripe-Account</c>, as the
/// Connect endpoint would have received them), each with its own mark. Several replicas may run it
/// at once: the ingest is idempotent on the Stripe event id.
/// </summary>
public sealed class StripeEventReconciler(
    IServiceScopeFactory scopes, StripeEventIngestor ingestor, IOptions<WebhooksOptions> options, ILogger<StripeEventReconciler> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.ReconcileEnabled) return;
        using var timer = new PeriodicTimer(settings.ReconcileInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var healed = await ReconcileOnceAsync(stoppingToken);
                if (healed > 0) logger.LogWarning("Reconciler ingested {Count} Stripe events that no webhook delivered", healed);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // Stripe or Postgres unavailable: the next tick tries again from the same marks.
                logger.LogError(e, "Reconciling Stripe events failed; retrying in {Interval}", settings.ReconcileInterval);
            }
        }
    }

    /// <summary>One pass over the platform and every connected account; returns how many missing events it stored.</summary>
    public async Task<int> ReconcileOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>();
        var stripe = scope.ServiceProvider.GetRequiredService<StripeClient>();

        var healed = await ReconcileAsync(db, stripe, ReconcilerCheckpoint.Platform, account: null, ct);
        await foreach (var account in stripe.V1.Accounts.ListAutoPagingAsync(new AccountListOptions { Limit = 100 }, cancellationToken: ct))
            healed += await ReconcileAsync(db, stripe, ReconcilerCheckpoint.Connect(account.Id), account.Id, ct);
        return healed;
    }

    /// <param name="account">Null for the platform's own events, else the connected account whose events are listed.</param>
    private async Task<int> ReconcileAsync(WebhooksDbContext db, StripeClient stripe, string checkpointName, string? account, CancellationToken ct)
    {
        var settings = options.Value;
        var checkpoint = await db.ReconcilerCheckpoints.SingleOrDefaultAsync(c => c.Name == checkpointName, ct);
        var since = checkpoint is null
            ? DateTimeOffset.UtcNow - settings.ReconcileInitialLookback
            : checkpoint.HighWaterMark - settings.ReconcileOverlap;

        var listed = new List<SnapshotEvent>();
        await foreach (var json in StripeEventList.CreatedSinceAsync(stripe, since, account, ct))
            listed.Add(SnapshotEvent.Parse(NulEscapes.Replace(json)));
        if (listed.Count == 0) return 0;

        var ids = listed.Select(e => e.Id).ToList();
        var known = await db.ReceivedEvents.Where(e => ids.Contains(e.StripeEventId)).Select(e => e.StripeEventId).ToHashSetAsync(ct);
        var healed = 0;
        // Oldest first, as Stripe would have delivered them.
        foreach (var missing in listed.Where(e => !known.Contains(e.Id)).OrderBy(e => e.Created))
            if (await ingestor.IngestAsync(missing, EventSource.Reconciler, ct) == IngestOutcome.Stored) healed++;

        var mark = listed.Max(e => e.Created);
        if (checkpoint is null)
            db.ReconcilerCheckpoints.Add(new ReconcilerCheckpoint { Name = checkpointName, HighWaterMark = mark, UpdatedAt = DateTimeOffset.UtcNow });
        else if (mark > checkpoint.HighWaterMark)
        {
            checkpoint.HighWaterMark = mark;
            checkpoint.UpdatedAt = DateTimeOffset.UtcNow;
        }
        await db.SaveChangesAsync(ct);
        return healed;
    }
}
