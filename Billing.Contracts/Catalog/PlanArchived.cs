namespace Billing.Contracts.Catalog;

/// <summary>An app archived a plan: existing subscriptions continue, no new ones start.</summary>
public sealed record PlanArchived(Guid EventId, DateTimeOffset OccurredAt, string AppId, string PlanId) : IIntegrationEvent;
