using System.Text.Json;
using System.Text.Json.Nodes;

namespace Billing.StripeSandbox.State;

public static class JsonExtensions
{
    /// <summary>
    /// The integer in a JSON value whatever CLR type it was created from (a value made from an
    /// <c>int</c> refuses <c>GetValue&lt;long&gt;</c>).
    /// </summary>
    public static long Long(this JsonNode node)
    {
        var value = node.AsValue();
        if (value.TryGetValue<long>(out var l)) return l;
        if (value.TryGetValue<int>(out var i)) return i;
        if (value.TryGetValue<double>(out var d)) return (long)d;
        if (value.TryGetValue<JsonElement>(out var e) && e.ValueKind == JsonValueKind.Number) return e.GetInt64();
        throw new InvalidOperationException($"Not an integer: {node.ToJsonString()}");
    }

    public static bool IsString(this JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String;
}
