namespace Billing.Webhooks.Normalization;

/// <summary>
/// The convention that ties a Stripe object to a tenant: every service puts
/// <c>metadata[app_id]=app_…</c> on each Stripe object it creates (customers, checkout
/// sessions and their <c>subscription_data</c>/<c>payment_intent_data</c>, subscriptions,
/// payment intents, connected accounts). Events are attributed from it.
/// </summary>
public static class AppIdMetadata
{
    public const string Key = Billing.Stripe.StripeConventions.AppIdKey;

    /// <summary>
    /// The object's own metadata first, then the places Stripe copies a parent's metadata to:
    /// an invoice's subscription (<c>parent.subscription_details.metadata</c>, or the 2023 shape's
    /// <c>subscription_details.metadata</c>), and a checkout session's <c>subscription_data</c> or
    /// <c>payment_intent_data</c>. Stripe copies a payment intent's metadata to its charges.
    /// </summary>
    internal static string? Find(StripeObject obj) =>
        From(obj)
        ?? From(obj.Child("parent")?.Child("subscription_details"))
        ?? From(obj.Child("subscription_details"))
        ?? From(obj.Child("subscription_data"))
        ?? From(obj.Child("payment_intent_data"));

    private static string? From(StripeObject? holder) =>
        holder?.Child("metadata")?.String(Key) is { Length: > 0 } appId ? appId : null;
}
