namespace Billing.Usage.Model;

public enum MeterAggregation { Sum, Max, Last }

/// <summary>
/// What usage is counted in. The four platform meters exist for every app (rows with a null
/// app id, seeded by the migration); an app adds its own.
/// </summary>
public sealed class Meter
{
    public required string Key { get; init; }
    public string? AppId { get; init; }
    public required string Unit { get; init; }
    public MeterAggregation Aggregation { get; init; } = MeterAggregation.Sum;
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
}
