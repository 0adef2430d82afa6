using Billing.Connect.Model;
using Billing.ServiceDefaults.Api;

namespace Billing.Connect.Apis;

public sealed record CreateCreatorRequest(string? ExternalId, string? Email)
{
    public void Validate() => new Validation()
        .Text(ExternalId, "externalId", 200)
        .Text(Email, "email", 320)
        .Check(Email is null || Email.Contains('@'), "email", "email must be an email address.")
        .ThrowIfInvalid();
}

public sealed record PayoutSettingsRequest(string? Frequency)
{
    public PayoutFrequency Parse() =>
        (Frequency is null ? null : SnakeCaseEnum.ParseOptional<PayoutFrequency>(Frequency, "frequency"))
        ?? throw ServiceDefaults.Errors.ApiException.Validation("frequency", "frequency is required: manual, weekly or monthly.");
}

public sealed record CreatorStripe(string? AccountId);

public sealed record CreatorResponse(string Id, string ExternalId, string Email, PayoutFrequency PayoutFrequency, CreatorStripe Stripe, DateTimeOffset CreatedAt)
{
    public static CreatorResponse From(Creator c, string? accountId) => new(c.Id, c.ExternalId, c.Email, c.PayoutFrequency, new CreatorStripe(accountId), c.CreatedAt);
}

/// <summary><c>carriedForwardCents</c>: refunds beyond what was earned, taken from future earnings before anything is paid.</summary>
public sealed record BalanceResponse(long AvailableCents, long PendingCents, long CarriedForwardCents, string Currency);

public sealed record PayoutStripe(string AccountId, string? TransferId);

public sealed record PayoutResponse(
    string Id, string CreatorId, long AmountCents, string Currency, PayoutStatus Status, PayoutTrigger Trigger, string? Period,
    long ReversedCents, string? FailureReason, PayoutStripe Stripe, DateTimeOffset CreatedAt, DateTimeOffset? PaidAt)
{
    public static PayoutResponse From(Payout p) => new(p.Id, p.CreatorId, p.AmountCents, p.Currency, p.Status, p.Trigger, p.Period,
        p.ReversedCents, p.FailureReason, new PayoutStripe(p.StripeAccountId, p.StripeTransferId), p.CreatedAt, p.PaidAt);
}
