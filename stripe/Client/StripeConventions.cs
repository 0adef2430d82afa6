using Stripe;

namespace Billing.Stripe;

/// <summary>
/// How we call Stripe, in one place: every object we create names its app in <c>metadata[app_id]</c>
/// (the Webhooks service attributes events by it), every create carries an idempotency key derived
/// from the business operation (so a repeat, even from another process, cannot act twice), and a
/// connected account's objects are reached with <c>Stripe-Account</c>.
/// </summary>
public static class StripeConventions
{
    /// <summary>The metadata key that names the app an object belongs to.</summary>
    public const string AppIdKey = "app_id";

    /// <summary>Metadata holding <paramref name="appId"/> under <see cref="AppIdKey"/>, plus <paramref name="more"/>.</summary>
    public static Dictionary<string, string> AppMetadata(string appId, IReadOnlyDictionary<string, string>? more = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(appId);
        var metadata = more is null ? [] : new Dictionary<string, string>(more);
        metadata[AppIdKey] = appId;
        return metadata;
    }

    /// <summary>The app an object names in its metadata, or null.</summary>
    public static string? AppIdOf(IHasMetadata? stripeObject) =>
        stripeObject?.Metadata is { } metadata && metadata.TryGetValue(AppIdKey, out var appId) && appId.Length > 0 ? appId : null;

    /// <summary>
    /// Options for a call that changes something: the idempotency key from the operation's natural key
    /// (<see cref="IdempotencyKeys.From"/>), and the connected account to act as, if any.
    /// </summary>
    public static RequestOptions Change(string idempotencyKey, string? connectedAccount = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);
        return new RequestOptions { IdempotencyKey = idempotencyKey, StripeAccount = Account(connectedAccount) };
    }

    /// <summary>Options for a read, as the platform (null) or as a connected account.</summary>
    public static RequestOptions Read(string? connectedAccount = null) => new() { StripeAccount = Account(connectedAccount) };

    private static string? Account(string? connectedAccount) =>
        connectedAccount is null || connectedAccount.StartsWith("acct_", StringComparison.Ordinal)
            ? connectedAccount
            : throw new ArgumentException($"'{connectedAccount}' is not a connected account id (acct_...).", nameof(connectedAccount));
}
