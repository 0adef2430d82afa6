namespace Billing.Contracts.Stripe;

/// <summary>An integration event normalized from a Stripe event by the Webhooks service.</summary>
public interface IStripeIntegrationEvent : IIntegrationEvent
{
    StripeOrigin Origin { get; }
}
