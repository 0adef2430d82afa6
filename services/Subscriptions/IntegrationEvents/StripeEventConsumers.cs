using Billing.Contracts;
using Billing.Contracts.Stripe;
using Billing.ServiceDefaults.Messaging;
using Billing.Subscriptions.Checkout;
using Billing.Subscriptions.Infrastructure;
using Billing.Subscriptions.Sync;
using MassTransit;

namespace Billing.Subscriptions.IntegrationEvents;

// Each consumer re-reads the subscription from Stripe (SubscriptionSync) rather than trusting the
// event's snapshot, so a duplicate, a late or a shuffled event only ever writes Stripe's latest state.
// Events with no app (objects we did not create) are not ours.

public sealed class CheckoutSessionCompletedConsumer(SubscriptionsDbContext db, CheckoutApplier checkout)
    : InboxConsumer<CheckoutSessionCompleted, SubscriptionsDbContext>(db)
{
    protected override async Task HandleAsync(ConsumeContext<CheckoutSessionCompleted> context)
    {
        var e = context.Message;
        if (e.AppId.Length == 0 || e.Session.Mode != "subscription") return;
        await checkout.CompletedAsync(e.AppId, e.Session.Id, e.Session.SubscriptionId, context.CancellationToken);
    }
}

public sealed class CheckoutSessionExpiredConsumer(SubscriptionsDbContext db, CheckoutApplier checkout)
    : InboxConsumer<CheckoutSessionExpired, SubscriptionsDbContext>(db)
{
    protected override async Task HandleAsync(ConsumeContext<CheckoutSessionExpired> context)
    {
        var e = context.Message;
        if (e.AppId.Length == 0) return;
        await checkout.ExpiredAsync(e.AppId, e.Session.Id, context.CancellationToken);
    }
}

public sealed class SubscriptionCreatedConsumer(SubscriptionsDbContext db, SubscriptionSync sync)
    : InboxConsumer<SubscriptionCreated, SubscriptionsDbContext>(db)
{
    protected override Task HandleAsync(ConsumeContext<SubscriptionCreated> context) =>
        StripeEventSync.ApplyAsync(sync, context.Message.AppId, context.Message.Subscription.Id, context.CancellationToken);
}

public sealed class SubscriptionUpdatedConsumer(SubscriptionsDbContext db, SubscriptionSync sync)
    : InboxConsumer<SubscriptionUpdated, SubscriptionsDbContext>(db)
{
    protected override Task HandleAsync(ConsumeContext<SubscriptionUpdated> context) =>
        StripeEventSync.ApplyAsync(sync, context.Message.AppId, context.Message.Subscription.Id, context.CancellationToken);
}

public sealed class SubscriptionDeletedConsumer(SubscriptionsDbContext db, SubscriptionSync sync)
    : InboxConsumer<SubscriptionDeleted, SubscriptionsDbContext>(db)
{
    protected override Task HandleAsync(ConsumeContext<SubscriptionDeleted> context) =>
        StripeEventSync.ApplyAsync(sync, context.Message.AppId, context.Message.Subscription.Id, context.CancellationToken);
}

public sealed class InvoicePaidConsumer(SubscriptionsDbContext db, SubscriptionSync sync)
    : InboxConsumer<InvoicePaid, SubscriptionsDbContext>(db)
{
    protected override Task HandleAsync(ConsumeContext<InvoicePaid> context) =>
        StripeEventSync.ApplyAsync(sync, context.Message.AppId, context.Message.Invoice.SubscriptionId, context.CancellationToken);
}

public sealed class InvoicePaymentFailedConsumer(SubscriptionsDbContext db, SubscriptionSync sync)
    : InboxConsumer<InvoicePaymentFailed, SubscriptionsDbContext>(db)
{
    protected override Task HandleAsync(ConsumeContext<InvoicePaymentFailed> context) =>
        StripeEventSync.ApplyAsync(sync, context.Message.AppId, context.Message.Invoice.SubscriptionId, context.CancellationToken);
}

internal static class StripeEventSync
{
    public static async Task ApplyAsync(SubscriptionSync sync, string appId, string? stripeSubscriptionId, CancellationToken ct)
    {
        if (appId.Length == 0 || stripeSubscriptionId is null) return;
        await sync.ApplyAsync(appId, stripeSubscriptionId, ct);
    }

    /// <summary>
    /// The consumers, each Stripe event consumer handling up to <paramref name="concurrency"/> messages at once
    /// (MassTransit's default follows the processor count: 16 on 2 cores). A consumed event spends most of its time
    /// waiting (Postgres round trips and commit, Stripe's GET, the lock of its subscription), so at 100 events/s a
    /// few slow ones filled 16 slots and the rest queued behind them (issue 12's benchmark). Each in-flight message
    /// holds a database connection: keep it well under the pool's size.
    /// </summary>
    public static void AddStripeEventConsumers(this IBusRegistrationConfigurator bus, int concurrency)
    {
        void Limit(IEndpointRegistrationConfigurator endpoint)
        {
            endpoint.PrefetchCount = concurrency;
            endpoint.ConcurrentMessageLimit = concurrency;
        }
        bus.AddConsumer<PlanChangedConsumer>();
        bus.AddConsumer<CheckoutSessionCompletedConsumer>().Endpoint(Limit);
        bus.AddConsumer<CheckoutSessionExpiredConsumer>().Endpoint(Limit);
        bus.AddConsumer<SubscriptionCreatedConsumer>().Endpoint(Limit);
        bus.AddConsumer<SubscriptionUpdatedConsumer>().Endpoint(Limit);
        bus.AddConsumer<SubscriptionDeletedConsumer>().Endpoint(Limit);
        bus.AddConsumer<InvoicePaidConsumer>().Endpoint(Limit);
        bus.AddConsumer<InvoicePaymentFailedConsumer>().Endpoint(Limit);
    }
}
