using Billing.ServiceDefaults.Api;
using Billing.Subscriptions.Customers;

namespace Billing.Subscriptions.Apis;

/// <summary>Butterbase's subscribe: a plan (and interval) for a customer named by id or external id.</summary>
public sealed record SubscribeRequest(
    string? PlanId, string? Interval, string? CustomerId, string? CustomerExternalId, string? Email, string? SuccessUrl, string? CancelUrl,
    int? Quantity, int? TrialDays, Dictionary<string, string>? Metadata)
{
    public CustomerReference Customer => new(CustomerId, CustomerExternalId, Email);

    public void Validate()
    {
        var validation = new Validation()
            .Text(PlanId, "planId", 100)
            .Check(Interval is null or "month" or "year", "interval", "interval must be month or year.");
        Customer.Validate(validation);
        CheckoutRules.Common(validation, SuccessUrl, CancelUrl, Quantity, TrialDays, Metadata).ThrowIfInvalid();
    }
}

/// <summary>BillStack's checkout: one of our prices for a customer; <c>mode=payment</c> is handed to Orders' purchase.</summary>
public sealed record CheckoutRequest(
    string? CustomerId, string? PriceId, int? Quantity, string? SuccessUrl, string? CancelUrl, string? Mode, int? TrialDays,
    Dictionary<string, string>? Metadata)
{
    public void Validate()
    {
        var validation = new Validation()
            .Text(CustomerId, "customerId", 100)
            .Text(PriceId, "priceId", 100)
            .Check(Mode is null or "subscription" or "payment", "mode", "mode must be subscription or payment.")
            .Check(Mode != "payment" || TrialDays is null, "trialDays", "trialDays applies to subscriptions only.");
        CheckoutRules.Common(validation, SuccessUrl, CancelUrl, Quantity, TrialDays, Metadata).ThrowIfInvalid();
    }
}

internal static class CheckoutRules
{
    // Metadata shares the session's 50 keys with ours (app_id, customer_id, plan_id, price_id, checkout_id).
    public static Validation Common(
        Validation validation, string? successUrl, string? cancelUrl, int? quantity, int? trialDays, Dictionary<string, string>? metadata) =>
        validation
            .Text(successUrl, "successUrl", 2048)
            .Text(cancelUrl, "cancelUrl", 2048)
            .Check(quantity is null or (>= 1 and <= 10_000), "quantity", "quantity must be from 1 to 10000.")
            .Check(trialDays is null or (>= 0 and <= 730), "trialDays", "trialDays must be from 0 to 730 (Stripe's limit).")
            .Metadata(metadata)
            .Check(metadata is null || metadata.Count <= 45, "metadata", "metadata has at most 45 keys (5 are ours).")
            .Check(metadata is null || !metadata.Keys.Any(ReservedMetadata.Contains), "metadata",
                $"metadata keys {string.Join(", ", ReservedMetadata)} are reserved.");

    public static readonly string[] ReservedMetadata = ["app_id", "customer_id", "plan_id", "price_id", "checkout_id"];
}
