using Billing.Contracts.Stripe;

namespace Billing.Connect.Model;

/// <summary>
/// A Stripe Connect Express account: the app's own (OwnerId = the app id) or a marketplace
/// creator's (OwnerId = the creator id). Its flags mirror Stripe's <c>account.updated</c>.
/// </summary>
public sealed class ConnectedAccount
{
    public required string Id { get; init; }
    public required string AppId { get; init; }
    public required string OwnerId { get; init; }
    public required string StripeAccountId { get; init; }
    public bool DetailsSubmitted { get; set; }
    public bool ChargesEnabled { get; set; }
    public bool PayoutsEnabled { get; set; }
    /// <summary>Grows with every change of the flags (ConnectAccountChanged.Version).</summary>
    public long Version { get; set; }
    /// <summary>Stripe's time of the state held (an event's <c>created</c>, or when we read the account); older states are dropped.</summary>
    public DateTimeOffset? StateAt { get; set; }
    /// <summary>When the newest applied <c>account.updated</c> was created; null until one came (the status is then read from Stripe).</summary>
    public DateTimeOffset? LastEventAt { get; set; }
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
    public DateTimeOffset UpdatedAt { get; set; } = DateTimeOffset.UtcNow;

    public bool IsAppAccount => OwnerId == AppId;

    /// <summary>Takes Stripe's flags; true when any changed (the version then grows).</summary>
    public bool Apply(AccountState state, DateTimeOffset at)
    {
        StateAt = at;
        if (DetailsSubmitted == state.DetailsSubmitted && ChargesEnabled == state.ChargesEnabled && PayoutsEnabled == state.PayoutsEnabled)
            return false;
        (DetailsSubmitted, ChargesEnabled, PayoutsEnabled) = (state.DetailsSubmitted, state.ChargesEnabled, state.PayoutsEnabled);
        Version++;
        UpdatedAt = DateTimeOffset.UtcNow;
        return true;
    }
}
