namespace Billing.Orders.Model;

/// <summary>Orders' mirror of an app's customer, found or made by the app's own id (see the README).</summary>
public sealed class Customer
{
    public required string Id { get; init; }
    public required string AppId { get; init; }
    public required string ExternalId { get; init; }
    public string? Email { get; init; }
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
}
