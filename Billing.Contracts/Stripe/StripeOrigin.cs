namespace Billing.Contracts.Stripe;

/// <summary>
/// Where a normalized Stripe event came from. Consumers drop a stale update by comparing
/// <see cref="Created"/> (Stripe's <c>created</c> of the event) with the newest one they applied
/// for the same object: Stripe does not deliver in order.
/// </summary>
/// <param name="StripeEventId"><c>evt_…</c>: unique per Stripe event, whatever the number of deliveries or replays.</param>
/// <param name="Type">Stripe's event type, e.g. <c>invoice.paid</c>.</param>
/// <param name="Created">The event's <c>created</c>.</param>
/// <param name="ConnectedAccountId"><c>acct_…</c> for a connected account's event (whose <c>AppId</c>, when its object has no <c>app_id</c>, is the account's app); null for the platform's.</param>
public sealed record StripeOrigin(string StripeEventId, string Type, DateTimeOffset Created, string? ConnectedAccountId);
