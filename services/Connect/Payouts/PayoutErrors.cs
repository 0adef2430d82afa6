using Billing.ServiceDefaults.Errors;

namespace Billing.Connect.Payouts;

/// <summary>Why a payout cannot be made now (400s, documented in the Connect README and ROUTES.md).</summary>
public static class PayoutErrors
{
    public const string BelowMinimum = "payout_below_minimum";
    public const string PayoutsNotEnabled = "payouts_not_enabled";

    public static ApiException Below(long available, long minimum) =>
        new(400, BelowMinimum, $"The available balance ({available} cents) is below the minimum payout of {minimum} cents.");

    public static ApiException NotEnabled() =>
        new(400, PayoutsNotEnabled, "The creator's connected account cannot receive payouts yet: finish onboarding first.");
}
