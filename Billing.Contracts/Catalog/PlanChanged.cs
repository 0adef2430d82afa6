namespace Billing.Contracts.Catalog;

/// <summary>One price of a plan. Amounts in minor units with a lower-case ISO currency.</summary>
/// <param name="Id">Ours: <c>price_…</c>.</param>
/// <param name="Interval"><c>month</c> or <c>year</c>.</param>
/// <param name="Active">False once a newer amount replaced it: its subscribers stay on it, nobody new gets it.</param>
/// <param name="StripePriceId">Null until the Stripe sync made it.</param>
public sealed record PlanPrice(string Id, string Interval, long AmountCents, string Currency, bool Active, string? StripePriceId);

/// <summary>A plan as it is after a change: the whole state, so a consumer never needs an earlier event.</summary>
/// <param name="Sellable">True when active and synced to Stripe: a checkout can be opened for it.</param>
/// <param name="Limits">Usage limit per meter key for one billing period.</param>
/// <param name="Version">Grows with every change of the plan: a consumer keeps the highest and drops older ones (delivery is not ordered).</param>
public sealed record PlanState(
    string Id, string Name, bool Active, bool Sellable, int TrialDays, IReadOnlyList<string> Features,
    IReadOnlyDictionary<string, long> Limits, IReadOnlyList<PlanPrice> Prices, IReadOnlyDictionary<string, string> Metadata,
    string? StripeProductId, long Version);

/// <summary>
/// A plan was created, changed, archived or synced to Stripe. Published by Catalog through its outbox;
/// Subscriptions (checkout) and Usage (limits) keep projections from it.
/// </summary>
public sealed record PlanChanged(Guid EventId, DateTimeOffset OccurredAt, string AppId, PlanState Plan) : IIntegrationEvent;
