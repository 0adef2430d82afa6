namespace Billing.ServiceDefaults.Idempotency;

/// <summary>A stored first answer to a request made with an Idempotency-Key.</summary>
internal sealed record StoredResponse(int Status, string? ContentType, string? Location, byte[] Body);

/// <summary>What the store says about a key when a request arrives with it.</summary>
internal abstract record KeyClaim
{
    /// <summary>This request holds the key: execute it.</summary>
    public sealed record Acquired : KeyClaim;

    /// <summary>The same key and body finished before: answer the stored response.</summary>
    public sealed record Replay(StoredResponse Response) : KeyClaim;

    /// <summary>The key was used with another request.</summary>
    public sealed record Mismatch : KeyClaim;

    /// <summary>A request with this key is still running.</summary>
    public sealed record InUse : KeyClaim;
}
