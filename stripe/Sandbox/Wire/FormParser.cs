using System.Text.Json.Nodes;

namespace Billing.StripeSandbox.Wire;

/// <summary>
/// Turns Stripe's bracket form encoding (<c>a[b][0][c]=v</c>, <c>expand[]=x</c>) into a JSON tree
/// whose leaves are strings, so handlers read nested params the way they read JSON.
/// </summary>
public static class FormParser
{
    public static JsonObject Parse(string? encoded)
    {
        var root = new JsonObject();
        if (string.IsNullOrEmpty(encoded)) return root;
        foreach (var pair in encoded.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            var key = Decode(eq < 0 ? pair : pair[..eq]);
            var value = Decode(eq < 0 ? "" : pair[(eq + 1)..]);
            Insert(root, SplitKey(key), value);
        }
        return (JsonObject)Normalize(root);
    }

    static string Decode(string raw) => Uri.UnescapeDataString(raw.Replace('+', ' '));

    static List<string> SplitKey(string key)
    {
        var open = key.IndexOf('[');
        if (open < 0) return [key];
        var parts = new List<string> { key[..open] };
        var i = open;
        while (i < key.Length && key[i] == '[')
        {
            var close = key.IndexOf(']', i);
            if (close < 0) throw StripeException.Invalid($"Invalid parameter name: {key}", key);
            parts.Add(key[(i + 1)..close]);
            i = close + 1;
        }
        if (i != key.Length || parts[0].Length == 0) throw StripeException.Invalid($"Invalid parameter name: {key}", key);
        return parts;
    }

    static void Insert(JsonObject node, List<string> parts, string value)
    {
        for (var i = 0; i < parts.Count - 1; i++)
        {
            var name = parts[i].Length == 0 ? node.Count.ToString() : parts[i];
            if (node[name] is not JsonObject child)
            {
                child = new JsonObject();
                node[name] = child;
            }
            node = child;
        }
        var last = parts[^1].Length == 0 ? node.Count.ToString() : parts[^1];
        node[last] = value;
    }

    // Objects whose keys are all indexes become arrays, ordered by index (a[1]=y&a[0]=x is [x, y]).
    static JsonNode Normalize(JsonNode node)
    {
        if (node is not JsonObject obj) return node.DeepClone();
        var entries = obj.Select(kv => (kv.Key, Value: Normalize(kv.Value!))).ToList();
        if (entries.Count > 0 && entries.All(e => int.TryParse(e.Key, out var n) && n >= 0))
            return new JsonArray(entries.OrderBy(e => int.Parse(e.Key)).Select(e => e.Value).ToArray());
        var result = new JsonObject();
        foreach (var (key, value) in entries) result[key] = value;
        return result;
    }
}
