namespace Billing.Gateway.Model;

/// <summary>An app (<c>app_</c>) of an account: its keys, redirect allowlist and rate limit.</summary>
public sealed class App
{
    /// <summary>The platform's own app, seeded by the first migration.</summary>
    public const string PlatformId = Billing.Contracts.PlatformApp.Id;

    public required string Id { get; init; }
    public string? AccountId { get; init; }
    public required string Name { get; set; }
    public List<string> RedirectOrigins { get; set; } = [];
    /// <summary>Requests per rate-limit window for each of the app's keys; null: the gateway's default.</summary>
    public int? RateLimit { get; set; }
    public bool IsPlatform { get; init; }
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
}
