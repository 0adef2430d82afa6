namespace Billing.Contracts.Wallet;

/// <summary>
/// A marketplace charge was taken from a customer's wallet (<c>POST /billing/wallet/charge</c>): the
/// customer paid <see cref="AmountCents"/>, the app kept <see cref="FeeCents"/>, and
/// <see cref="CreatorCents"/> (= amount − fee; 0 without a creator) is owed to the creator. Published
/// by Orders through its outbox in the same transaction as the ledger lines; Connect books the
/// creator's earning from it exactly once (inbox, keyed on <see cref="ChargeId"/>).
/// </summary>
/// <param name="ChargeId">Ours: <c>wtx_…</c>, the ledger transaction of the charge.</param>
/// <param name="CustomerId">Ours: <c>cus_…</c>.</param>
/// <param name="CreatorId">Ours: <c>cr_…</c>; null for a charge with no creator (all of it is the app's revenue).</param>
public sealed record WalletCharged(
    Guid EventId, DateTimeOffset OccurredAt, string AppId, string ChargeId, string CustomerId, string? CreatorId,
    long AmountCents, long FeeCents, long CreatorCents, string Currency, string Description) : IIntegrationEvent;

/// <summary>
/// A wallet charge was refunded, wholly or partly (<c>POST /billing/wallet/charges/{chargeId}/refund</c>):
/// the customer got <see cref="RefundedCents"/> back, of which <see cref="CreatorCents"/> comes out of
/// the creator's share. Connect reverses that much of the creator's earning (a balance that would
/// go negative is carried forward, never paid).
/// </summary>
/// <param name="RefundId">Ours: <c>wtx_…</c>, the ledger transaction of the refund; consumers dedupe on it.</param>
public sealed record WalletChargeRefunded(
    Guid EventId, DateTimeOffset OccurredAt, string AppId, string RefundId, string ChargeId, string CustomerId, string? CreatorId,
    long RefundedCents, long FeeCents, long CreatorCents, string Currency) : IIntegrationEvent;
