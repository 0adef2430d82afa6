namespace Billing.Contracts.Stripe;

/// <summary>A transfer to a connected account as the event saw it. Amounts in minor units.</summary>
/// <param name="TransferGroup">Stripe's <c>transfer_group</c>; Connect sets it to the payout id (<c>pay_…</c>).</param>
public sealed record TransferState(
    string Id, long Amount, long AmountReversed, bool Reversed, string Currency, string? Destination, string? TransferGroup);

/// <summary><c>transfer.reversed</c>: the transfer was reversed, fully or partly (<see cref="TransferState.AmountReversed"/> is the running total).</summary>
public sealed record TransferReversed(Guid EventId, DateTimeOffset OccurredAt, string AppId, StripeOrigin Origin, TransferState Transfer)
    : IStripeIntegrationEvent;
