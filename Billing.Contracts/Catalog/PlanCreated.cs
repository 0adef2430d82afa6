namespace Billing.Contracts.Catalog;

/// <summary>An app created a plan. Prices are in minor units with a lower-case ISO currency.</summary>
public sealed record PlanCreated(
    Guid EventId,
    DateTimeOffset OccurredAt,
    string AppId,
    string PlanId,
    string Name,
    long PriceCents,
    string Currency,
    string Interval,
    int TrialDays) : IIntegrationEvent;
