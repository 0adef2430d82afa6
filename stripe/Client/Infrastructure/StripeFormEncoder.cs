using System.Text;
using System.Text.Json;

namespace Billing.Stripe;

/// <summary>
/// Turns request records into Stripe's <c>application/x-www-form-urlencoded</c> shape:
/// <c>a[b][c]=v</c> for nested objects, <c>a[0]=x</c> for arrays, <c>line_items[0][price]=p</c>
/// for arrays of objects, <c>true</c>/<c>false</c>, Unix seconds for times and snake_case enum
/// values. A <c>null</c> property is left out; a <c>null</c> dictionary value, an empty
/// dictionary or an empty array is sent as <c>""</c>, which is how Stripe clears a field
/// (<c>metadata[k]=</c> deletes one key).
/// </summary>
public static class StripeFormEncoder
{
    /// <summary>The flattened key/value pairs of <paramref name="parameters"/>, in declaration order.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Flatten(object? parameters)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        if (parameters is null)
            return pairs;
        // Going through System.Text.Json gives one source of truth for names, enums and times:
        // the same conventions that read Stripe's responses write its requests.
        var element = JsonSerializer.SerializeToElement(parameters, parameters.GetType(), StripeJson.Options);
        if (element.ValueKind != JsonValueKind.Object)
            throw new ArgumentException("Stripe parameters must be an object.", nameof(parameters));
        foreach (var property in element.EnumerateObject())
            Add(pairs, property.Name, property.Value);
        return pairs;
    }

    /// <summary>Encodes pairs as a form body or query string (without the leading <c>?</c>).</summary>
    public static string Encode(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var builder = new StringBuilder();
        foreach (var (key, value) in pairs)
        {
            if (builder.Length > 0)
                builder.Append('&');
            builder.Append(EscapeKey(key)).Append('=').Append(Uri.EscapeDataString(value));
        }
        return builder.ToString();
    }

    /// <summary>Flattens and encodes in one step.</summary>
    public static string Encode(object? parameters) => Encode(Flatten(parameters));

    private static void Add(List<KeyValuePair<string, string>> pairs, string key, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                var any = false;
                foreach (var property in value.EnumerateObject())
                {
                    any = true;
                    Add(pairs, $"{key}[{property.Name}]", property.Value);
                }
                if (!any)
                    pairs.Add(new(key, ""));
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in value.EnumerateArray())
                    Add(pairs, $"{key}[{index++}]", item);
                if (index == 0)
                    pairs.Add(new(key, ""));
                break;
            case JsonValueKind.String:
                pairs.Add(new(key, value.GetString()!));
                break;
            case JsonValueKind.Number:
                pairs.Add(new(key, value.GetRawText()));
                break;
            case JsonValueKind.True:
                pairs.Add(new(key, "true"));
                break;
            case JsonValueKind.False:
                pairs.Add(new(key, "false"));
                break;
            default:
                pairs.Add(new(key, ""));
                break;
        }
    }

    // Brackets stay literal, as Stripe's own libraries send them: readable in logs and accepted
    // by Stripe either way.
    private static string EscapeKey(string key) =>
        Uri.EscapeDataString(key).Replace("%5B", "[", StringComparison.Ordinal).Replace("%5D", "]", StringComparison.Ordinal);
}
