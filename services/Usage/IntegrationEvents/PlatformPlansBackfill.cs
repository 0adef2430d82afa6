using Billing.Contracts;
using Billing.Contracts.Catalog;
using Billing.ServiceDefaults.Messaging;
using Billing.Usage.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Billing.Usage.IntegrationEvents;

/// <summary>
/// Makes sure the plan projection holds the platform tiers whatever the start order: on a fresh system Catalog may
/// seed them, and publish their PlanChanged, before Usage's queue exists, and RabbitMQ drops what has no queue. At
/// start, while the projection has no plan of the platform app, this asks Catalog to replay them
/// (<see cref="PlansReplayRequested"/>, through the outbox) and looks again later, waiting longer each time (5 s
/// doubling to 5 min): an answer lost the same way (Catalog answering before this queue was bound, or Catalog not
/// started yet) is asked for again. Replayed events are applied by <see cref="PlanChangedConsumer"/> like any other
/// (the highest version wins), so a replay never undoes a newer change.
/// </summary>
public sealed class PlatformPlansBackfill(IServiceScopeFactory scopes, TimeProvider time, ILogger<PlatformPlansBackfill> logger) : BackgroundService
{
    public static readonly TimeSpan FirstWait = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan LongestWait = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var wait = FirstWait;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await HasPlatformPlansAsync(stoppingToken)) return;
                await RequestReplayAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Could not check or ask for the platform plans: {Error}", e.Message);
            }
            await Task.Delay(wait, stoppingToken);
            wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, LongestWait.Ticks));
        }
    }

    private async Task<bool> HasPlatformPlansAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<UsageDbContext>();
        return await db.Database.SqlQuery<bool>($"select exists(select 1 from usage.plans where app_id = {PlatformApp.Id}) as \"Value\"").SingleAsync(ct);
    }

    private async Task RequestReplayAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<UsageDbContext>();
        db.AddOutboxMessage(new PlansReplayRequested(Guid.NewGuid(), time.GetUtcNow(), PlatformApp.Id, UsageService.Name));
        await db.SaveChangesAsync(ct);
        logger.LogInformation("No platform plan in the projection: asked Catalog to replay them");
    }
}
