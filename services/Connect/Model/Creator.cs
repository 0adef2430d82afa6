namespace Billing.Connect.Model;

public enum PayoutFrequency { Manual, Weekly, Monthly }

/// <summary>A marketplace creator of an app (<c>cr_…</c>): earns from wallet charges, paid out to their Express account.</summary>
public sealed class Creator
{
    public required string Id { get; init; }
    public required string AppId { get; init; }
    public required string ExternalId { get; init; }
    public required string Email { get; init; }
    public PayoutFrequency PayoutFrequency { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
}
