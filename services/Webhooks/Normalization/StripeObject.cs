using System.Text.Json;

namespace Billing.Webhooks.Normalization;

/// <summary>Lenient reads of a Stripe object's JSON: a field Stripe left out or nulled reads as null, never throws.</summary>
internal readonly record struct StripeObject(JsonElement Json)
{
    public string Id => String("id") ?? throw new JsonException("The event's object has no id.");

    public JsonElement? Property(string name) =>
        Json.ValueKind == JsonValueKind.Object && Json.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public StripeObject? Child(string name) => Property(name) is { ValueKind: JsonValueKind.Object } child ? new StripeObject(child) : null;

    public string? String(string name) => Property(name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    /// <summary>An expandable field: the id whether Stripe sent the id or the expanded object.</summary>
    public string? Ref(string name) => Property(name) switch
    {
        { ValueKind: JsonValueKind.String } id => id.GetString(),
        { ValueKind: JsonValueKind.Object } expanded => new StripeObject(expanded).String("id"),
        _ => null,
    };

    public long? Long(string name) => Property(name) is { ValueKind: JsonValueKind.Number } value ? value.GetInt64() : null;

    public bool Bool(string name) => Property(name) is { ValueKind: JsonValueKind.True };

    public DateTimeOffset? Time(string name) => Long(name) is { } unix ? DateTimeOffset.FromUnixTimeSeconds(unix) : null;

    public IEnumerable<StripeObject> List(string name) =>
        Child(name)?.Property("data") is { ValueKind: JsonValueKind.Array } data ? data.EnumerateArray().Select(e => new StripeObject(e)) : [];
}
