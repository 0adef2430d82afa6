using Billing.Contracts.Stripe;
using MassTransit;

namespace Billing.Webhooks.IntegrationEvents;

public static class DeadLetterRegistration
{
    /// <summary>One <see cref="DeadLetterRecorder{TEvent}"/> per contract the service publishes, all on one queue.</summary>
    public static void AddDeadLetterRecorders(this IBusRegistrationConfigurator bus)
    {
        Add<CheckoutSessionCompleted>(bus);
        Add<CheckoutSessionExpired>(bus);
        Add<SubscriptionCreated>(bus);
        Add<SubscriptionUpdated>(bus);
        Add<SubscriptionDeleted>(bus);
        Add<InvoicePaid>(bus);
        Add<InvoicePaymentFailed>(bus);
        Add<PaymentIntentSucceeded>(bus);
        Add<PaymentIntentFailed>(bus);
        Add<PaymentIntentCapturable>(bus);
        Add<ChargeRefunded>(bus);
        Add<AccountUpdated>(bus);
    }

    private static void Add<TEvent>(IBusRegistrationConfigurator bus) where TEvent : class, IStripeIntegrationEvent =>
        bus.AddConsumer<DeadLetterRecorder<TEvent>>().Endpoint(e => e.Name = DeadLetterRecorder<TEvent>.Queue);
}
