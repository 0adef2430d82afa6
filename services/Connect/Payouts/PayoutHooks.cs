namespace Billing.Connect.Payouts;

/// <summary>
/// Points in a payout where tests stand in for a crash (registered as a singleton; the default does
/// nothing). Production code never replaces it.
/// </summary>
public class PayoutHooks
{
    /// <summary>After Stripe made the transfer, before its result is recorded.</summary>
    public virtual Task TransferMadeAsync(string payoutId, string transferId, CancellationToken ct) => Task.CompletedTask;
}
