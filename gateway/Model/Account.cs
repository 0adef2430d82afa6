namespace Billing.Gateway.Model;

/// <summary>A developer on the platform (<c>dev_</c>): owns apps, signs in with an account token (<c>bat_</c>).</summary>
public sealed class Account
{
    public required string Id { get; init; }
    public required string Email { get; init; }
    public required string Name { get; init; }
    /// <summary>SHA-256 of the account token; the token itself is shown once and never stored.</summary>
    public required byte[] TokenHash { get; init; }
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
}
