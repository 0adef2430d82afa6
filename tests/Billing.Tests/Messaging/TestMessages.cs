using Billing.Contracts;

namespace Billing.Tests.Messaging;

// Test-only messages: real services' events live in Billing.Contracts.

/// <summary>Published through the outbox with each ledger line.</summary>
public sealed record LedgerEntryRecorded(Guid EventId, DateTimeOffset OccurredAt, string AppId, string EntryId, long AmountCents) : IIntegrationEvent;

/// <summary>Asks the inbox consumer to write a ledger line; its effect must happen once per MessageId.</summary>
public sealed record CreditRequested(Guid EventId, DateTimeOffset OccurredAt, string AppId, string EntryId, long AmountCents) : IIntegrationEvent;

/// <summary>Consumed by a consumer that always fails, to reach the error queue.</summary>
public sealed record ChargeAttempted(Guid EventId, DateTimeOffset OccurredAt, string AppId, string Reason) : IIntegrationEvent;

/// <summary>Like <see cref="CreditRequested"/>, for a consumer that fails its first two attempts.</summary>
public sealed record FlakyCreditRequested(Guid EventId, DateTimeOffset OccurredAt, string AppId, string EntryId, long AmountCents) : IIntegrationEvent;

/// <summary>A sample event for the outbox tests: a plan was created (the Catalog's real event is PlanChanged).</summary>
public sealed record PlanCreated(
    Guid EventId, DateTimeOffset OccurredAt, string AppId, string PlanId, string Name, long PriceCents, string Currency,
    string Interval, int TrialDays) : IIntegrationEvent;
