namespace Billing.Connect.Model;

/// <summary>pending: our row and ledger debit exist, the transfer's result is not recorded yet; paid; failed (Stripe refused, money back); reversed (the transfer was reversed, money back).</summary>
public enum PayoutStatus { Pending, Paid, Failed, Reversed }

/// <summary>What started a payout: the API (manual) or the scheduler.</summary>
public enum PayoutTrigger { Manual, Weekly, Monthly }

/// <summary>
/// A payout (<c>pay_…</c>): written pending with its ledger debit before Stripe is called, then a
/// transfer to the creator's account whose idempotency key and <c>transfer_group</c> are this id, so
/// a retry or a crash between the transfer and its recording never pays twice.
/// </summary>
public sealed class Payout
{
    public required string Id { get; init; }
    public required string AppId { get; init; }
    public required string CreatorId { get; init; }
    public long AmountCents { get; init; }
    public required string Currency { get; init; }
    public PayoutStatus Status { get; set; }
    public PayoutTrigger Trigger { get; init; }
    public string? Period { get; init; }
    public required string StripeAccountId { get; init; }
    public string? StripeTransferId { get; set; }
    public string? FailureReason { get; set; }
    public long ReversedCents { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? PaidAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
