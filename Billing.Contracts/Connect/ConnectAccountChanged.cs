namespace Billing.Contracts.Connect;

/// <summary>
/// The app's own connected (Express) account changed: created, or its onboarding or capabilities moved.
/// Published by Connect through its outbox; Orders switches the app's sales to destination charges
/// (with the platform's application fee) while <see cref="ChargesEnabled"/> is true.
/// </summary>
/// <param name="AccountId">Stripe's <c>acct_…</c>.</param>
/// <param name="Version">Grows with every applied change: a consumer keeps the highest and drops older ones.</param>
public sealed record ConnectAccountChanged(
    Guid EventId, DateTimeOffset OccurredAt, string AppId, string AccountId, bool DetailsSubmitted, bool ChargesEnabled,
    bool PayoutsEnabled, long Version) : IIntegrationEvent;
