namespace Billing.Contracts.Stripe;

/// <summary>A connected account as the event saw it.</summary>
public sealed record AccountState(
    string Id, bool ChargesEnabled, bool PayoutsEnabled, bool DetailsSubmitted, IReadOnlyList<string> CurrentlyDue);

/// <summary>
/// <c>account.updated</c>: onboarding progress or capabilities changed. Arrives on the Connect
/// endpoint; <see cref="IIntegrationEvent.AppId"/> is empty unless the account carries <c>app_id</c>
/// metadata, and <see cref="StripeOrigin.ConnectedAccountId"/> names the account.
/// </summary>
public sealed record AccountUpdated(Guid EventId, DateTimeOffset OccurredAt, string AppId, StripeOrigin Origin, AccountState Account)
    : IStripeIntegrationEvent;
