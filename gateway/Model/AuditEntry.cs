namespace Billing.Gateway.Model;

/// <summary>One management action on an app: who, what, when and from where.</summary>
public sealed class AuditEntry
{
    public required string Id { get; init; }
    public required string AppId { get; init; }
    /// <summary>The acting account; null when the operator acted.</summary>
    public string? AccountId { get; init; }
    /// <summary>E.g. <c>key.created</c>, <c>key.revoked</c>, <c>app.redirect_origins_updated</c>.</summary>
    public required string Action { get; init; }
    /// <summary>The id of what was acted on (a key or the app).</summary>
    public required string Target { get; init; }
    public string? Ip { get; init; }
    public string? UserAgent { get; init; }
    public string? RequestId { get; init; }
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
}
