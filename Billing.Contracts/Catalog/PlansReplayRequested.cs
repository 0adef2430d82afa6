namespace Billing.Contracts.Catalog;

/// <summary>
/// A service asks Catalog to publish again the <see cref="PlanChanged"/> of every plan of <c>AppId</c>, each with its
/// current state and version. For a projection that may have missed events: RabbitMQ drops an event published before
/// the subscriber's queue first existed (on a fresh system, Catalog may seed the platform tiers before Usage's queue is
/// there). Consumers of PlanChanged keep the highest version, so a replay changes nothing they already have.
/// Published by Usage through its outbox; answered by Catalog through its outbox.
/// </summary>
/// <param name="RequestedBy">The asking service's name, for the logs.</param>
public sealed record PlansReplayRequested(Guid EventId, DateTimeOffset OccurredAt, string AppId, string RequestedBy) : IIntegrationEvent;
