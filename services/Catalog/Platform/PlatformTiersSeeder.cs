using Billing.Catalog.Infrastructure;
using Billing.Catalog.StripeSync;
using Billing.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Billing.Catalog.Platform;

/// <summary>
/// At start, adds the platform tiers that are missing, each with its PlanChanged and its Stripe sync in
/// the same transaction, so they reach Stripe through the same path as any plan. Replicas starting
/// together take turns on an advisory lock; the second finds the plans there. Retries until the
/// database answers.
/// </summary>
public sealed class PlatformTiersSeeder(IServiceScopeFactory scopes, IOptions<CatalogOptions> options, ILogger<PlatformTiersSeeder> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.SeedPlatformTiers) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SeedAsync(stoppingToken);
                return;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Could not seed the platform tiers; trying again in 5 s");
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
            }
        }
    }

    /// <summary>Returns how many tiers it added.</summary>
    public async Task<int> SeedAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlAsync($"select pg_advisory_xact_lock(hashtext('catalog:platform-tiers'))", ct);
        var ids = PlatformTiers.PlanIds;
        var existing = await db.Plans.Where(p => p.AppId == PlatformApp.Id && ids.Contains(p.Id)).Select(p => p.Id).ToListAsync(ct);
        var added = 0;
        foreach (var plan in PlatformTiers.NewPlans(DateTimeOffset.UtcNow).Where(p => !existing.Contains(p.Id)))
        {
            db.Plans.Add(plan);
            db.StageChanged(plan, sync: true);
            added++;
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        if (added > 0) logger.LogInformation("Seeded {Count} platform tiers", added);
        return added;
    }
}
