using Billing.Contracts;
using Billing.Contracts.Subscriptions;
using Billing.Gateway.Infrastructure;
using Billing.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Billing.Gateway.PlatformBilling;

/// <summary>
/// Keeps <c>gateway.platform_subscriptions</c> from the Subscriptions service's events: per platform
/// subscription its developer account, status and whether it blocks the account (402). Other apps'
/// subscriptions are their own business and are ignored. Delivery is unordered and at least once:
/// the inbox drops duplicates, and a change is written only over an older version, in one statement,
/// so a late or concurrent older event never overwrites a newer state.
/// </summary>
public sealed class PlatformSubscriptionConsumer(GatewayDbContext db) : InboxConsumer<SubscriptionChanged, GatewayDbContext>(db)
{
    /// <summary>The statuses that stop an account's calls until it pays: an invoice is due and unpaid.</summary>
    public static bool RequiresPayment(string status) => status is "past_due" or "unpaid";

    protected override async Task HandleAsync(ConsumeContext<SubscriptionChanged> context)
    {
        var change = context.Message;
        if (change.AppId != PlatformApp.Id) return;
        var subscription = change.Subscription;
        var paymentRequired = RequiresPayment(subscription.Status);
        await Db.Database.ExecuteSqlAsync($"""
            insert into gateway.platform_subscriptions (subscription_id, account_id, status, payment_required, version)
            values ({subscription.Id}, {subscription.CustomerExternalId}, {subscription.Status}, {paymentRequired}, {subscription.Version})
            on conflict (subscription_id) do update
               set account_id = excluded.account_id, status = excluded.status, payment_required = excluded.payment_required,
                   version = excluded.version, updated_at = now()
             where platform_subscriptions.version < excluded.version
            """, context.CancellationToken);
    }
}
