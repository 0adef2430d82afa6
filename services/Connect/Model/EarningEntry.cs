namespace Billing.Connect.Model;

/// <summary>What booked a ledger line; with the source id it is unique, so each source books once.</summary>
public static class EarningKind
{
    /// <summary>A wallet charge's creator share (+), source: the charge (<c>wtx_…</c>).</summary>
    public const string Sale = "sale";
    /// <summary>A refund's creator share (−), source: the refund (<c>wtx_…</c>).</summary>
    public const string Refund = "refund";
    /// <summary>A payout (−), source: the payout (<c>pay_…</c>).</summary>
    public const string Payout = "payout";
    /// <summary>A payout Stripe refused (+), source: the payout.</summary>
    public const string PayoutFailed = "payout_failed";
    /// <summary>A reversed transfer (+), source: <c>pay_…:{amount reversed so far}</c>.</summary>
    public const string PayoutReversal = "payout_reversal";
}

/// <summary>One line of the append-only earnings ledger: never updated, balances are sums of lines.</summary>
public sealed class EarningEntry
{
    public long Id { get; init; }
    public required string AppId { get; init; }
    public required string CreatorId { get; init; }
    public required string Kind { get; init; }
    public required string SourceId { get; init; }
    public long AmountCents { get; init; }
    public required string Currency { get; init; }
    public DateTimeOffset AvailableAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}
