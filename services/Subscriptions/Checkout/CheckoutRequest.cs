namespace Billing.Subscriptions.Checkout;

/// <summary>What a subscription checkout sells, to whom, and where the browser goes after.</summary>
public sealed record CheckoutOrder(
    string AppId, Model.Customer Customer, Plans.SellablePrice Item, int Quantity, int? TrialDays,
    string SuccessUrl, string CancelUrl, IReadOnlyDictionary<string, string>? Metadata);

/// <summary>The answer of subscribe and checkout: Stripe's session id and hosted page.</summary>
public sealed record CheckoutResponse(string SessionId, string Url, DateTimeOffset ExpiresAt);
