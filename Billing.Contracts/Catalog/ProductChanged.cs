namespace Billing.Contracts.Catalog;

/// <summary>A one-time product as it is after a change. Amounts in minor units.</summary>
/// <param name="Id">Ours: <c>prod_…</c>.</param>
/// <param name="PriceId">Ours: <c>price_…</c>, the current price (a new amount makes a new one).</param>
/// <param name="Sellable">True when active and synced to Stripe.</param>
/// <param name="Version">Grows with every change: keep the highest.</param>
public sealed record ProductState(
    string Id, string Name, bool Active, bool Sellable, string PriceId, long PriceCents, string Currency,
    IReadOnlyDictionary<string, string> Metadata, string? StripeProductId, string? StripePriceId, long Version);

/// <summary>A product was created, changed or synced to Stripe. Published by Catalog; Orders keeps a projection.</summary>
public sealed record ProductChanged(Guid EventId, DateTimeOffset OccurredAt, string AppId, ProductState Product) : IIntegrationEvent;
