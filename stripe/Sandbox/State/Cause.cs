using System.Text.Json.Nodes;

namespace Billing.StripeSandbox.State;

/// <summary>
/// What triggered a change: an API request (its id and idempotency key) or an automatic action such
/// as a renewal, which Stripe renders as <c>request: {id: null, idempotency_key: null}</c>.
/// </summary>
public sealed record Cause(string? RequestId, string? IdempotencyKey)
{
    public static readonly Cause Automatic = new(null, null);
    public JsonObject ToJson() => new() { ["id"] = RequestId, ["idempotency_key"] = IdempotencyKey };
}
