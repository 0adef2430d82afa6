using Billing.Contracts.Subscriptions;
using Billing.ServiceDefaults.Api;
using Billing.ServiceDefaults.Messaging;
using Billing.Stripe;
using Billing.Subscriptions.Customers;
using Billing.Subscriptions.Infrastructure;
using Billing.Subscriptions.Model;
using Billing.Subscriptions.Plans;
using Microsoft.EntityFrameworkCore;
using Stripe;
using Subscription = Billing.Subscriptions.Model.Subscription;

namespace Billing.Subscriptions.Sync;

/// <summary>
/// The one way local subscription state changes: re-read the subscription from Stripe and make the
/// local row equal to it. Every path uses it (webhook consumers, verify-session, cancel, resume), so
/// duplicates, reordering and missed webhooks all converge to Stripe's truth. Callers serialize per
/// Stripe subscription (an advisory lock held until their transaction ends) and read Stripe only
/// after taking it: the last writer always wrote the newest state.
/// </summary>
/// <remarks>
/// Per call: the lock, Stripe's GET, the local row, and one batch with the row and its <c>SubscriptionChanged</c>.
/// Which customer a Stripe customer is and which plan a Stripe price is never change once known, so they come
/// from memory (<see cref="StripeCustomerIndex"/>, <see cref="PlanCache"/>), not from a query per event.
/// </remarks>
public sealed class SubscriptionSync(
    SubscriptionsDbContext db, StripeClient stripe, PlanResolver plans, StripeCustomerIndex customers, ILogger<SubscriptionSync> logger)
{
    /// <summary>
    /// Brings the local copy of <paramref name="stripeSubscriptionId"/> up to Stripe's current state,
    /// inside the caller's transaction (or one of its own). Null when the subscription is not this
    /// app's (no customer of ours, or another app's metadata): nothing is written.
    /// </summary>
    public async Task<Subscription?> ApplyAsync(string appId, string stripeSubscriptionId, CancellationToken ct)
    {
        // An app with no customer here cannot own the subscription: no need to ask Stripe.
        if (!await customers.AppHasAnyAsync(db, appId, ct)) return null;
        var owned = db.Database.CurrentTransaction is null;
        await using var transaction = owned ? await db.Database.BeginTransactionAsync(ct) : null;
        await db.LockAsync("stripe-subscription:" + stripeSubscriptionId, ct);
        global::Stripe.Subscription latest;
        try
        {
            latest = await stripe.V1.Subscriptions.GetAsync(stripeSubscriptionId, cancellationToken: ct);
        }
        catch (StripeException e) when (e.HttpStatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // Not in this Stripe account: a retry would not find it either.
            logger.LogWarning("Stripe subscription {StripeSubscriptionId} of {AppId} does not exist in Stripe", stripeSubscriptionId, appId);
            return null;
        }
        var applied = await UpsertAsync(appId, latest, ct);
        if (transaction is not null)
        {
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        return applied;
    }

    private async Task<Subscription?> UpsertAsync(string appId, global::Stripe.Subscription latest, CancellationToken ct)
    {
        if (StripeConventions.AppIdOf(latest) is { } owner && owner != appId) return Ignore(latest, appId, "belongs to another app");
        var customer = await customers.FindAsync(db, appId, latest.CustomerId, ct);
        if (customer is null) return Ignore(latest, appId, "has no customer of this app");
        var item = latest.Items?.Data?.FirstOrDefault();
        if (item?.Price is null) return Ignore(latest, appId, "has no price");

        var local = await db.Subscriptions.SingleOrDefaultAsync(s => s.StripeSubscriptionId == latest.Id, ct);
        if (local is not null && local.AppId != appId) return Ignore(latest, appId, "is recorded for another app");
        var (planId, priceId) = await plans.ByStripePriceAsync(appId, item.Price.Id, ct) is { } mapped
            ? mapped
            // The projection does not know the price (yet): keep what our checkout wrote on the subscription.
            : (Metadata(latest, "plan_id") ?? local?.PlanId ?? "", Metadata(latest, "price_id") ?? local?.PriceId ?? item.Price.Id);

        var isNew = local is null;
        local ??= new Subscription
        {
            Id = Ids.New("sub"), AppId = appId, CustomerId = customer.Id, PlanId = planId, PriceId = priceId,
            StripeSubscriptionId = latest.Id, CreatedAt = Utc(latest.Created) ?? DateTimeOffset.UtcNow,
        };
        var before = Snapshot(local);
        local.PlanId = planId;
        local.PriceId = priceId;
        local.Interval = item.Price.Recurring?.Interval ?? local.Interval;
        local.Quantity = (int)item.Quantity;
        local.Status = ParseStatus(latest.Status);
        local.CurrentPeriodStart = Utc(item.CurrentPeriodStart);
        local.CurrentPeriodEnd = Utc(item.CurrentPeriodEnd);
        local.CancelAtPeriodEnd = latest.CancelAtPeriodEnd;
        local.CanceledAt = Utc(latest.CanceledAt);
        local.TrialEnd = Utc(latest.TrialEnd);
        local.StripeCustomerId = latest.CustomerId;
        if (!isNew && Snapshot(local) == before) return local;

        local.Version++;
        local.UpdatedAt = DateTimeOffset.UtcNow;
        if (isNew) db.Subscriptions.Add(local);
        db.AddOutboxMessage(new SubscriptionChanged(Guid.NewGuid(), DateTimeOffset.UtcNow, appId, new SubscriptionDetails(
            local.Id, local.CustomerId, customer.ExternalId, local.PlanId, local.PriceId, local.Interval, local.Quantity,
            SnakeCaseEnum.Format(local.Status), local.CurrentPeriodStart, local.CurrentPeriodEnd, local.CancelAtPeriodEnd,
            local.TrialEnd, local.Version)));
        return local;
    }

    private static string Snapshot(Subscription s) =>
        string.Join('|', s.PlanId, s.PriceId, s.Interval, s.Quantity, s.Status, s.CurrentPeriodStart, s.CurrentPeriodEnd,
            s.CancelAtPeriodEnd, s.CanceledAt, s.TrialEnd, s.StripeCustomerId);

    private Subscription? Ignore(global::Stripe.Subscription latest, string appId, string why)
    {
        logger.LogInformation("Stripe subscription {StripeSubscriptionId} not applied for {AppId}: it {Reason}", latest.Id, appId, why);
        return null;
    }

    private static string? Metadata(global::Stripe.Subscription s, string key) =>
        s.Metadata is { } m && m.TryGetValue(key, out var value) && value.Length > 0 ? value : null;

    // A status API.md does not list (paused) reads as incomplete: not usable, not ended.
    private static SubscriptionStatus ParseStatus(string status) =>
        Enum.GetValues<SubscriptionStatus>().Where(s => SnakeCaseEnum.Format(s) == status).Select(s => (SubscriptionStatus?)s).FirstOrDefault()
        ?? SubscriptionStatus.Incomplete;

    // Stripe.net gives UTC DateTimes; unset ones are default (or null).
    private static DateTimeOffset? Utc(DateTime? value) =>
        value is { } v && v != default ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : null;
}
