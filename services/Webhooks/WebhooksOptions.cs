using System.ComponentModel.DataAnnotations;

namespace Billing.Webhooks;

/// <summary>The <c>Webhooks</c> section.</summary>
public sealed class WebhooksOptions
{
    public const string Section = "Webhooks";

    /// <summary>Larger deliveries are refused with 413 (Stripe's events are far smaller).</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 512 * 1024;

    /// <summary>How often the reconciler asks Stripe for events we may have missed.</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long the reconciler lists events again after it first saw them (its cursor trails the newest
    /// event by this much wall-clock time): an event that appears in Stripe's list late, behind newer
    /// ones already listed, is still found within it.
    /// </summary>
    public TimeSpan ReconcileOverlap { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How far back, by Stripe's <c>created</c>, the reconciler looks when it has no cursor: its very
    /// first pass, or when Stripe no longer has the cursor's event (Stripe keeps events 30 days).
    /// </summary>
    public TimeSpan ReconcileInitialLookback { get; set; } = TimeSpan.FromHours(1);

    /// <summary>False turns the reconciler off (e.g. a replica that should not poll Stripe).</summary>
    public bool ReconcileEnabled { get; set; } = true;

    /// <summary>The most received events one statement stores (see <c>ReceivedEventWriter</c>).</summary>
    [Range(1, 1_000)]
    public int IngestBatchSize { get; set; } = 100;

    /// <summary>
    /// How many batches may be in flight at once. One is the default because it batches best:
    /// while its statement waits for the WAL flush, the next deliveries queue up behind it.
    /// </summary>
    [Range(1, 16)]
    public int IngestWriters { get; set; } = 1;

    /// <summary>Deliveries waiting for a writer beyond this wait to be queued (backpressure instead of unbounded memory).</summary>
    [Range(1, 1_000_000)]
    public int IngestQueueCapacity { get; set; } = 10_000;

    /// <summary>The most events one range replay republishes.</summary>
    [Range(1, 100_000)]
    public int MaxReplayRange { get; set; } = 5_000;
}
