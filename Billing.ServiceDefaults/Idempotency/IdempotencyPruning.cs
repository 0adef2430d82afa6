using Billing.ServiceDefaults.Hosting;
using Microsoft.Extensions.Logging;

namespace Billing.ServiceDefaults.Idempotency;

/// <summary>Deletes idempotency records past their retention, hourly.</summary>
internal sealed class IdempotencyPruning(IdempotencyStore store, ILogger<IdempotencyPruning> logger) : PeriodicWork(logger)
{
    // Records live for hours: pruning more often would only cost queries.
    protected override TimeSpan Interval => TimeSpan.FromHours(1);
    // At start: a service restarted more often than hourly would otherwise never prune.
    protected override bool RunsAtStart => true;

    protected override async Task RunOnceAsync(CancellationToken ct)
    {
        var pruned = await store.PruneAsync(ct);
        if (pruned > 0) Logger.LogInformation("Pruned {Count} expired idempotency keys", pruned);
    }
}
