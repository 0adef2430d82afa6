using Billing.Contracts.Stripe;
using Billing.Orders.Infrastructure;
using Billing.Orders.Payments;
using Billing.ServiceDefaults.Messaging;
using MassTransit;

namespace Billing.Orders.IntegrationEvents;

// The normalized Stripe events move orders through OrderPayments, the same code verify, capture,
// release and refund use. The inbox drops duplicates; Order's forward-only transitions and the
// ledger's unique sources make late and shuffled events harmless. Events with no app, or about
// objects that are not one of our orders (subscriptions' checkouts, for one), change nothing.

public sealed class CheckoutSessionCompletedConsumer(OrdersDbContext db, OrderPayments payments)
    : InboxConsumer<CheckoutSessionCompleted, OrdersDbContext>(db)
{
    protected override Task HandleAsync(ConsumeContext<CheckoutSessionCompleted> context)
    {
        var (appId, session) = (context.Message.AppId, context.Message.Session);
        if (appId.Length == 0 || session.Mode != "payment") return Task.CompletedTask;
        return payments.SessionCompletedAsync(appId, session.Id, session.PaymentIntentId, session.PaymentStatus, session.AmountTotal,
            context.CancellationToken);
    }
}

public sealed class CheckoutSessionExpiredConsumer(OrdersDbContext db, OrderPayments payments)
    : InboxConsumer<CheckoutSessionExpired, OrdersDbContext>(db)
{
    protected override Task HandleAsync(ConsumeContext<CheckoutSessionExpired> context)
    {
        var (appId, session) = (context.Message.AppId, context.Message.Session);
        if (appId.Length == 0 || session.Mode != "payment") return Task.CompletedTask;
        return payments.SessionExpiredAsync(appId, session.Id, context.CancellationToken);
    }
}

public sealed class PaymentIntentSucceededConsumer(OrdersDbContext db, OrderPayments payments)
    : InboxConsumer<PaymentIntentSucceeded, OrdersDbContext>(db)
{
    protected override Task HandleAsync(ConsumeContext<PaymentIntentSucceeded> context)
    {
        var (appId, intent) = (context.Message.AppId, context.Message.PaymentIntent);
        return appId.Length == 0 ? Task.CompletedTask
            : payments.PaymentSucceededAsync(appId, intent.Id, intent.AmountReceived, context.CancellationToken);
    }
}

public sealed class PaymentIntentFailedConsumer(OrdersDbContext db, OrderPayments payments)
    : InboxConsumer<PaymentIntentFailed, OrdersDbContext>(db)
{
    protected override Task HandleAsync(ConsumeContext<PaymentIntentFailed> context)
    {
        var (appId, intent) = (context.Message.AppId, context.Message.PaymentIntent);
        return appId.Length == 0 ? Task.CompletedTask : payments.PaymentFailedAsync(appId, intent.Id, context.CancellationToken);
    }
}

public sealed class PaymentIntentCapturableConsumer(OrdersDbContext db, OrderPayments payments)
    : InboxConsumer<PaymentIntentCapturable, OrdersDbContext>(db)
{
    protected override Task HandleAsync(ConsumeContext<PaymentIntentCapturable> context)
    {
        var (appId, intent) = (context.Message.AppId, context.Message.PaymentIntent);
        return appId.Length == 0 ? Task.CompletedTask : payments.PaymentCapturableAsync(appId, intent.Id, context.CancellationToken);
    }
}

public sealed class PaymentIntentCanceledConsumer(OrdersDbContext db, OrderPayments payments)
    : InboxConsumer<PaymentIntentCanceled, OrdersDbContext>(db)
{
    protected override Task HandleAsync(ConsumeContext<PaymentIntentCanceled> context)
    {
        var (appId, intent) = (context.Message.AppId, context.Message.PaymentIntent);
        return appId.Length == 0 ? Task.CompletedTask : payments.PaymentCanceledAsync(appId, intent.Id, context.CancellationToken);
    }
}

public sealed class ChargeRefundedConsumer(OrdersDbContext db, OrderPayments payments)
    : InboxConsumer<ChargeRefunded, OrdersDbContext>(db)
{
    protected override Task HandleAsync(ConsumeContext<ChargeRefunded> context)
    {
        var (appId, charge) = (context.Message.AppId, context.Message.Charge);
        return appId.Length == 0 || charge.PaymentIntentId is null ? Task.CompletedTask
            : payments.RefundedAsync(appId, charge.PaymentIntentId, charge.Amount, charge.AmountRefunded, context.CancellationToken);
    }
}

public static class OrdersConsumers
{
    public static void AddOrdersConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<CheckoutSessionCompletedConsumer>();
        bus.AddConsumer<CheckoutSessionExpiredConsumer>();
        bus.AddConsumer<PaymentIntentSucceededConsumer>();
        bus.AddConsumer<PaymentIntentFailedConsumer>();
        bus.AddConsumer<PaymentIntentCapturableConsumer>();
        bus.AddConsumer<PaymentIntentCanceledConsumer>();
        bus.AddConsumer<ChargeRefundedConsumer>();
        bus.AddConsumer<ProductChangedConsumer>();
        bus.AddConsumer<ConnectAccountChangedConsumer>();
    }
}
