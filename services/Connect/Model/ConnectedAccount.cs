namespace Billing.Connect.Model;

/// <summary>
/// A Stripe Connect Express account: the app's own (OwnerId = the app id) or a marketplace
/// creator's (OwnerId = the creator id). Its flags mirror Stripe's <c>account.updated</c>.
/// </summary>
public sealed class ConnectedAccount
{
    public required string Id { get; init; }
    public required string AppId { get; init; }
    public required string OwnerId { get; init; }
    public required string StripeAccountId { get; init; }
    public bool DetailsSubmitted { get; set; }
    public bool ChargesEnabled { get; set; }
    public bool PayoutsEnabled { get; set; }
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
    public DateTimeOffset UpdatedAt { get; set; } = DateTimeOffset.UtcNow;
}
