using System.Text.Json;
using Billing.Contracts;
using Billing.Contracts.Catalog;
using Billing.ServiceDefaults.Messaging;
using Billing.Usage.Infrastructure;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Billing.Usage.IntegrationEvents;

/// <summary>Keeps <c>usage.plans</c>: each plan's limits per meter (and the platform tier), newest version wins.</summary>
public sealed class PlanChangedConsumer(UsageDbContext db) : InboxConsumer<PlanChanged, UsageDbContext>(db)
{
    protected override async Task HandleAsync(ConsumeContext<PlanChanged> context)
    {
        var (appId, plan) = (context.Message.AppId, context.Message.Plan);
        var tier = plan.Metadata.TryGetValue(PlatformApp.TierKey, out var t) ? t : null;
        var limitsJson = JsonSerializer.Serialize(plan.Limits);
        await Db.Database.ExecuteSqlAsync($"""
            insert into usage.plans (id, app_id, name, tier, limits, version)
            values ({plan.Id}, {appId}, {plan.Name}, {tier}, {limitsJson}::jsonb, {plan.Version})
            on conflict (id) do update
               set name = excluded.name, tier = excluded.tier, limits = excluded.limits, version = excluded.version
             where plans.version < excluded.version and plans.app_id = excluded.app_id
            """, context.CancellationToken);
    }
}
