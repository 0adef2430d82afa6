namespace Billing.Contracts.Usage;

/// <summary>
/// A customer's usage of a meter reached 80 % or 100 % of its plan's limit in the current period. Published
/// once per customer, meter, period and threshold by Usage through its outbox.
/// </summary>
/// <param name="CustomerKey">The customer id (<c>cus_…</c>), or <c>ext:</c> + the app's external id when Usage has not seen the customer's id yet.</param>
/// <param name="Threshold">80 or 100 (percent of the limit).</param>
/// <param name="PeriodStart">First UTC day of the billing period the usage counts in.</param>
public sealed record UsageThresholdReached(
    Guid EventId, DateTimeOffset OccurredAt, string AppId, string CustomerKey, string Meter, int Threshold,
    long Quantity, long Limit, DateOnly PeriodStart) : IIntegrationEvent;
