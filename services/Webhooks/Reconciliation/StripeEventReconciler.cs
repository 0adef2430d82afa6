using Billing.ServiceDefaults.Hosting;
using Billing.Webhooks.Infrastructure;
using Billing.Webhooks.Ingest;
using Billing.Webhooks.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Stripe;

namespace Billing.Webhooks.Reconciliation;

/// <summary>
/// Heals lost deliveries: every <see cref="WebhooksOptions.ReconcileInterval"/> it lists the Stripe
/// events created after its cursor and ingests any we never stored, through the webhook's own
/// <see cref="StripeEventIngestor"/>: the platform's events, then each connected account's (listed
/// with <c>Stripe-Account</c>, as the Connect endpoint would have received them), each with its own
/// cursor. Several replicas may run it at once: the ingest is idempotent on the Stripe event id.
/// </summary>
/// <remarks>
/// The cursor is a position in Stripe's list, not a time. <c>GET /v1/events</c> lists events newest
/// first in the order Stripe created them, and <c>ending_before=&lt;event id&gt;</c> pages towards the
/// newer ones: that order is Stripe's own, whatever the events' <c>created</c> says. <c>created</c>
/// cannot bookmark: an event about a test-clock object carries the clock's time, days ahead of or
/// behind the wall clock, and clocks skew: one event from a clock ahead would carry a time-based
/// bookmark past everything that follows, and events from a clock behind fall before it. Only with no cursor (the first pass, or Stripe no longer having the cursor's event, which it keeps
/// 30 days) does the reconciler look back by <c>created</c>, <see cref="WebhooksOptions.ReconcileInitialLookback"/>.
/// </remarks>
public sealed class StripeEventReconciler(
    IServiceScopeFactory scopes, StripeEventIngestor ingestor, IOptions<WebhooksOptions> options, ILogger<StripeEventReconciler> logger)
    : PeriodicWork(logger)
{
    private const int PageSize = 100;

    protected override bool Enabled => options.Value.ReconcileEnabled;
    protected override TimeSpan Interval => options.Value.ReconcileInterval;
    // Webhooks get one interval to arrive before their events are looked for.
    protected override bool RunsAtStart => false;

    // A failed pass (Stripe or Postgres unavailable) is retried next round from the same cursors.
    protected override async Task RunOnceAsync(CancellationToken ct)
    {
        var healed = await ReconcileOnceAsync(ct);
        if (healed > 0) Logger.LogWarning("Reconciler ingested {Count} Stripe events that no webhook delivered", healed);
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
        var list = new StripeEventList(stripe, account);
        var checkpoint = await db.ReconcilerCheckpoints.SingleOrDefaultAsync(c => c.Name == checkpointName, ct);

        var afterCursor = checkpoint is null ? null : await ListAfterCursorAsync(list, checkpoint, ct);
        // Without a cursor, look back by created, taking the newest event first: what Stripe creates
        // meanwhile is listed again from it next pass, never skipped.
        var restartAt = afterCursor is null ? await list.NewestIdAsync(ct) : null;
        var listed = afterCursor ?? await list.CreatedSinceAsync(DateTimeOffset.UtcNow - settings.ReconcileInitialLookback, ct);

        var healed = await IngestMissingAsync(db, listed, ct);

        if (checkpoint is null)
            db.ReconcilerCheckpoints.Add(checkpoint = new ReconcilerCheckpoint { Name = checkpointName });
        if (afterCursor is null) checkpoint.Restart(restartAt, DateTimeOffset.UtcNow);
        else checkpoint.Advance(afterCursor.Count > 0 ? afterCursor[^1].Id : null, DateTimeOffset.UtcNow, settings.ReconcileOverlap);
        await db.SaveChangesAsync(ct);
        return healed;
    }

    /// <summary>The events after the checkpoint's cursor; null when Stripe no longer has the cursor's event.</summary>
    private async Task<List<SnapshotEvent>?> ListAfterCursorAsync(StripeEventList list, ReconcilerCheckpoint checkpoint, CancellationToken ct)
    {
        try
        {
            // No cursor: the list was empty when the reconciler first looked, so every event listed now is new.
            return checkpoint.CursorEventId is { } cursor ? await list.AfterAsync(cursor, ct) : await list.AllAsync(ct);
        }
        catch (StripeException e) when (e.StripeError?.Code == "resource_missing")
        {
            // Older than Stripe keeps events (30 days), or a test clock's objects deleted with it, or a wiped sandbox.
            Logger.LogWarning("Stripe no longer has the reconciler's cursor {EventId} ({Checkpoint}); looking back {Lookback} by created instead",
                checkpoint.CursorEventId, checkpoint.Name, options.Value.ReconcileInitialLookback);
            return null;
        }
    }

    /// <summary>Ingests, oldest first as Stripe would have delivered them, the listed events we never stored.</summary>
    private async Task<int> IngestMissingAsync(WebhooksDbContext db, List<SnapshotEvent> oldestFirst, CancellationToken ct)
    {
        var healed = 0;
        foreach (var chunk in oldestFirst.Chunk(PageSize))
        {
            var ids = chunk.Select(e => e.Id).ToList();
            var known = await db.ReceivedEvents.Where(e => ids.Contains(e.StripeEventId)).Select(e => e.StripeEventId).ToHashSetAsync(ct);
            foreach (var missing in chunk.Where(e => !known.Contains(e.Id)))
                if (await ingestor.IngestAsync(missing, EventSource.Reconciler, ct) == IngestOutcome.Stored) healed++;
        }
        return healed;
    }
}
