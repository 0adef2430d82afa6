using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Billing.ServiceDefaults.Idempotency;

/// <summary>Deletes idempotency records past their retention, hourly.</summary>
internal sealed class IdempotencyPruning(IdempotencyStore store, ILogger<IdempotencyPruning> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1));
        do
        {
            try
            {
                var pruned = await store.PruneAsync(ct);
                if (pruned > 0) logger.LogInformation("Pruned {Count} expired idempotency keys", pruned);
            }
            catch (NpgsqlException e)
            {
                logger.LogWarning(e, "Pruning idempotency keys failed; will retry in an hour");
            }
        } while (await timer.WaitForNextTickAsync(ct));
    }
}
