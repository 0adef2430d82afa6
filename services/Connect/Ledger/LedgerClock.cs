namespace Billing.Connect.Ledger;

/// <summary>
/// The ledger's time: when earnings become available, which payout period it is, how old a pending
/// payout is. A type of its own so tests can move it (days, to pass a holding period) without moving the
/// <see cref="TimeProvider"/> that checks caller identities and tokens. The wall clock in production.
/// </summary>
public sealed class LedgerClock(TimeProvider time)
{
    public DateTimeOffset Now => time.GetUtcNow();
}
