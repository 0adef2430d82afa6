using System.Text.Json;
using System.Text.Json.Nodes;
using Stripe;

namespace Billing.Webhooks.Intake;

/// <summary>
/// Thin events (<c>object: "v2.core.event"</c>) name the object that changed but do not carry it.
/// We fetch it from Stripe and store the event in snapshot form, so that replays, the normalizer
/// and the reconciler all see one shape.
/// </summary>
internal static class ThinEvents
{
    /// <summary>
    /// Whether the body's top-level <c>object</c> is <c>v2.core.event</c>. Reads tokens without
    /// building a document: every delivery is checked, and almost all are snapshots.
    /// </summary>
    /// <exception cref="JsonException">The body is not JSON.</exception>
    public static bool IsThin(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isObject = reader.ValueTextEquals("object"u8);
            reader.Read();
            if (isObject) return reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("v2.core.event"u8);
            reader.Skip();
        }
        return false;
    }

    /// <summary>The snapshot-form JSON of a thin event, its <c>related_object</c> read from Stripe as it is now.</summary>
    public static async Task<string> ToSnapshotAsync(JsonElement thin, StripeClient stripe, CancellationToken ct)
    {
        var related = thin.GetProperty("related_object");
        var account = thin.TryGetProperty("context", out var context) && context.ValueKind == JsonValueKind.String ? context.GetString() : null;
        // A raw request: the object is stored as Stripe renders it, whatever its type, not re-serialized from a model.
        var response = await stripe.RawRequestAsync(HttpMethod.Get, "/" + related.GetProperty("url").GetString()!.TrimStart('/'),
            requestOptions: new RawRequestOptions { StripeAccount = account }, cancellationToken: ct);
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
            ["data"] = new JsonObject { ["object"] = JsonNode.Parse(response.Content) },
        };
        return snapshot.ToJsonString();
    }
}
