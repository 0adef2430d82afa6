namespace Billing.Subscriptions.Model;

/// <summary>An app's billing customer, found by the app's own user id; its Stripe customer is made on first need.</summary>
public sealed class Customer
{
    public required string Id { get; init; }
    public required string AppId { get; init; }
    public required string ExternalId { get; init; }
    public string? Email { get; set; }
    public string? Name { get; set; }
    public Dictionary<string, string> Metadata { get; set; } = [];
    public string? StripeCustomerId { get; set; }
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
}
