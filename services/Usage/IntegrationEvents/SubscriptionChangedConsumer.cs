using Billing.Contracts.Subscriptions;
using Billing.ServiceDefaults.Messaging;
using Billing.Usage.Infrastructure;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Billing.Usage.IntegrationEvents;

/// <summary>
/// Keeps <c>usage.subscriptions</c>: who each app's customers are (id and external id), their plan,
/// status and period. Unordered, at-least-once delivery: the inbox drops duplicates and a row is only
/// written over an older version, in one statement.
/// </summary>
public sealed class SubscriptionChangedConsumer(UsageDbContext db) : InboxConsumer<SubscriptionChanged, UsageDbContext>(db)
{
    protected override async Task HandleAsync(ConsumeContext<SubscriptionChanged> context)
    {
        var (appId, s) = (context.Message.AppId, context.Message.Subscription);
        await Db.Database.ExecuteSqlAsync($"""
            insert into usage.subscriptions (id, app_id, customer_id, customer_external_id, plan_id, status,
                                             current_period_start, current_period_end, version)
            values ({s.Id}, {appId}, {s.CustomerId}, {s.CustomerExternalId}, {s.PlanId}, {s.Status},
                    {s.CurrentPeriodStart}, {s.CurrentPeriodEnd}, {s.Version})
            on conflict (id) do update
               set plan_id = excluded.plan_id, status = excluded.status, current_period_start = excluded.current_period_start,
                   current_period_end = excluded.current_period_end, version = excluded.version, updated_at = now()
             where subscriptions.version < excluded.version and subscriptions.app_id = excluded.app_id
            """, context.CancellationToken);
    }
}
