namespace Billing.Gateway.Model;

/// <summary>An app's API key (<c>key_</c>); only the hash of its secret is kept.</summary>
public sealed class ApiKey
{
    public required string Id { get; init; }
    public required string AppId { get; init; }
    /// <summary><c>secret</c> or <c>publishable</c>.</summary>
    public required string Type { get; init; }
    /// <summary><c>test</c> or <c>live</c>.</summary>
    public required string Mode { get; init; }
    public required string Name { get; init; }
    /// <summary>Empty: a full key.</summary>
    public List<string> Scopes { get; init; } = [];
    public required byte[] SecretHash { get; init; }
    /// <summary>The secret's prefix, e.g. <c>bk_live_</c>, and its last four characters: enough to recognise it.</summary>
    public required string Prefix { get; init; }
    public required string Last4 { get; init; }
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public string? ReplacedBy { get; set; }

    public bool IsUsableAt(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);
}
