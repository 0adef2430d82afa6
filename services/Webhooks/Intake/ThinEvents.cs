using System.Text.Json;
using System.Text.Json.Nodes;
using Billing.Stripe;

namespace Billing.Webhooks.Intake;

/// <summary>
/// Thin events (<c>object: "v2.core.event"</c>) name the object that changed but do not carry it.
/// We fetch it from Stripe and store the event in snapshot form, so that replays, the normalizer
/// and the reconciler all see one shape.
/// </summary>
internal static class ThinEvents
{
    public static bool IsThin(JsonElement body) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty("object", out var o) && o.ValueKind == JsonValueKind.String
        && o.GetString() == "v2.core.event";

    /// <summary>The snapshot-form JSON of a thin event, its <c>related_object</c> read from Stripe as it is now.</summary>
    public static async Task<string> ToSnapshotAsync(JsonElement thin, IStripeClient stripe, CancellationToken ct)
    {
        var related = thin.GetProperty("related_object");
        var account = thin.TryGetProperty("context", out var context) && context.ValueKind == JsonValueKind.String ? context.GetString() : null;
        var current = await stripe.RequestAsync<JsonElement>(HttpMethod.Get, related.GetProperty("url").GetString()!.TrimStart('/'), null,
            new RequestOptions { StripeAccount = account }, ct);
        var created = thin.GetProperty("created") is { ValueKind: JsonValueKind.String } iso
            ? DateTimeOffset.Parse(iso.GetString()!, System.Globalization.CultureInfo.InvariantCulture)
            : DateTimeOffset.FromUnixTimeSeconds(thin.GetProperty("created").GetInt64());
        var snapshot = new JsonObject
        {
            ["id"] = thin.GetProperty("id").GetString(),
            ["object"] = "event",
            ["type"] = thin.GetProperty("type").GetString(),
            ["created"] = created.ToUnixTimeSeconds(),
            ["account"] = account,
            ["livemode"] = thin.TryGetProperty("livemode", out var live) && live.ValueKind == JsonValueKind.True,
            ["data"] = new JsonObject { ["object"] = JsonNode.Parse(current.GetRawText()) },
        };
        return snapshot.ToJsonString();
    }
}
