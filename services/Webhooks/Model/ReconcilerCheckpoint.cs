namespace Billing.Webhooks.Model;

/// <summary>The newest Stripe <c>created</c> the reconciler has seen; it restarts from here less an overlap.</summary>
public sealed class ReconcilerCheckpoint
{
    public const string Platform = "platform";

    /// <summary>Each connected account's events are listed (and marked) on their own.</summary>
    public static string Connect(string account) => "connect:" + account;

    public required string Name { get; init; }
    public DateTimeOffset HighWaterMark { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
