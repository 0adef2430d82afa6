using Billing.Contracts.Catalog;
using Billing.ServiceDefaults.Messaging;
using Billing.Subscriptions.Infrastructure;
using Billing.Subscriptions.Model;
using Billing.Subscriptions.Plans;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Billing.Subscriptions.IntegrationEvents;

/// <summary>
/// Keeps the plan projection equal to Catalog's newest announced state: a PlanChanged with a version
/// at or below the one kept is stale (delivery is not ordered) and changes nothing.
/// </summary>
public sealed class PlanChangedConsumer(SubscriptionsDbContext db, PlanCache cache)
    : InboxConsumer<PlanChanged, SubscriptionsDbContext>(db), IConsumer<PlanChanged>
{
    /// <summary>
    /// The inbox transaction, then this process's plan cache forgets the app: after the commit, so a checkout that
    /// reads the plans in between cannot cache the state being replaced. (Re-implements <see cref="IConsumer{T}"/>:
    /// MassTransit calls this, which calls the base's.)
    /// </summary>
    public new async Task Consume(ConsumeContext<PlanChanged> context)
    {
        await base.Consume(context);
        cache.Forget(context.Message.AppId);
    }

    protected override async Task HandleAsync(ConsumeContext<PlanChanged> context)
    {
        var (appId, state) = (context.Message.AppId, context.Message.Plan);
        var ct = context.CancellationToken;
        await Db.LockAsync("plan:" + state.Id, ct);
        var plan = await Db.Plans.Include(p => p.Prices).SingleOrDefaultAsync(p => p.Id == state.Id, ct);
        if (plan is not null && (plan.AppId != appId || plan.Version >= state.Version)) return;
        if (plan is null)
        {
            plan = new CatalogPlan { Id = state.Id, AppId = appId, Name = state.Name };
            Db.Plans.Add(plan);
        }
        plan.Name = state.Name;
        plan.Active = state.Active;
        plan.Sellable = state.Sellable;
        plan.TrialDays = state.TrialDays;
        plan.Metadata = new Dictionary<string, string>(state.Metadata);
        plan.StripeProductId = state.StripeProductId;
        plan.Version = state.Version;
        foreach (var price in state.Prices)
        {
            var kept = plan.Prices.SingleOrDefault(p => p.Id == price.Id);
            if (kept is null)
            {
                kept = new CatalogPrice { Id = price.Id, PlanId = plan.Id, AppId = appId, Interval = price.Interval, Currency = price.Currency };
                plan.Prices.Add(kept);
            }
            kept.Interval = price.Interval;
            kept.AmountCents = price.AmountCents;
            kept.Currency = price.Currency;
            kept.Active = price.Active;
            kept.StripePriceId = price.StripePriceId;
        }
        // A price never disappears from Catalog (its subscribers stay on it); one missing from the state is kept inactive.
        foreach (var gone in plan.Prices.Where(p => state.Prices.All(s => s.Id != p.Id))) gone.Active = false;
    }
}
