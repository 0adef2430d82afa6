using Billing.Contracts;
using Billing.Contracts.Stripe;
using Billing.Webhooks.Ingest;

namespace Billing.Webhooks.Normalization;

/// <summary>
/// Turns a Stripe event (snapshot form) into the integration event other services consume, or
/// null for a type nobody consumes (stored and acknowledged, never published).
/// </summary>
public static class StripeEventNormalizer
{
    private delegate IStripeIntegrationEvent Map(Guid id, DateTimeOffset at, string app, StripeOrigin origin, StripeObject obj);

    private static readonly Dictionary<string, Map> Maps = new()
    {
        ["checkout.session.completed"] = (id, at, app, o, obj) => new CheckoutSessionCompleted(id, at, app, o, StateReaders.CheckoutSession(obj)),
        ["checkout.session.expired"] = (id, at, app, o, obj) => new CheckoutSessionExpired(id, at, app, o, StateReaders.CheckoutSession(obj)),
        ["customer.subscription.created"] = (id, at, app, o, obj) => new SubscriptionCreated(id, at, app, o, StateReaders.Subscription(obj)),
        ["customer.subscription.updated"] = (id, at, app, o, obj) => new SubscriptionUpdated(id, at, app, o, StateReaders.Subscription(obj)),
        ["customer.subscription.deleted"] = (id, at, app, o, obj) => new SubscriptionDeleted(id, at, app, o, StateReaders.Subscription(obj)),
        ["invoice.paid"] = (id, at, app, o, obj) => new InvoicePaid(id, at, app, o, StateReaders.Invoice(obj)),
        ["invoice.payment_succeeded"] = (id, at, app, o, obj) => new InvoicePaid(id, at, app, o, StateReaders.Invoice(obj)),
        ["invoice.payment_failed"] = (id, at, app, o, obj) => new InvoicePaymentFailed(id, at, app, o, StateReaders.Invoice(obj)),
        ["payment_intent.succeeded"] = (id, at, app, o, obj) => new PaymentIntentSucceeded(id, at, app, o, StateReaders.PaymentIntent(obj)),
        ["payment_intent.payment_failed"] = (id, at, app, o, obj) => new PaymentIntentFailed(id, at, app, o, StateReaders.PaymentIntent(obj)),
        ["payment_intent.amount_capturable_updated"] = (id, at, app, o, obj) => new PaymentIntentCapturable(id, at, app, o, StateReaders.PaymentIntent(obj)),
        ["payment_intent.canceled"] = (id, at, app, o, obj) => new PaymentIntentCanceled(id, at, app, o, StateReaders.PaymentIntent(obj)),
        ["charge.refunded"] = (id, at, app, o, obj) => new ChargeRefunded(id, at, app, o, StateReaders.Charge(obj)),
        ["account.updated"] = (id, at, app, o, obj) => new AccountUpdated(id, at, app, o, StateReaders.Account(obj)),
        ["transfer.reversed"] = (id, at, app, o, obj) => new TransferReversed(id, at, app, o, StateReaders.Transfer(obj)),
    };

    /// <summary>The Stripe event types that become integration events.</summary>
    public static IReadOnlyCollection<string> MappedTypes => Maps.Keys;

    /// <summary>The app the event belongs to, from <c>metadata[app_id]</c>; null when the object carries none.</summary>
    public static string? AppIdOf(SnapshotEvent stripeEvent) => AppIdMetadata.Find(new StripeObject(stripeEvent.Object));

    /// <summary>
    /// The integration event for <paramref name="stripeEvent"/>, with a new <see cref="IIntegrationEvent.EventId"/>
    /// each call (a replay is a new message about the same Stripe event).
    /// </summary>
    /// <param name="appId">
    /// The app it belongs to (<see cref="ConnectedAccountApps.AppOfAsync"/>: the object's <c>app_id</c>, else its
    /// connected account's); null leaves <see cref="IIntegrationEvent.AppId"/> empty, with the origin's account to go by.
    /// </param>
    public static IStripeIntegrationEvent? Normalize(SnapshotEvent stripeEvent, string? appId)
    {
        if (!Maps.TryGetValue(stripeEvent.Type, out var map)) return null;
        var obj = new StripeObject(stripeEvent.Object);
        var origin = new StripeOrigin(stripeEvent.Id, stripeEvent.Type, stripeEvent.Created, stripeEvent.Account);
        return map(Guid.NewGuid(), stripeEvent.Created, appId ?? "", origin, obj);
    }
}
