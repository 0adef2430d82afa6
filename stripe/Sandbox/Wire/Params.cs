using System.Globalization;
using System.Text.Json.Nodes;

namespace Billing.StripeSandbox.Wire;

/// <summary>
/// Typed, validating read access to a request's params (or a nested hash of them). Errors name the
/// param the way Stripe does, e.g. <c>payment_intent_data[capture_method]</c>.
/// </summary>
public sealed class Params(JsonObject root, string prefix = "")
{
    public JsonObject Root { get; } = root;

    public string Name(string key) => prefix.Length == 0 ? key : $"{prefix}[{key}]";
    public bool Has(string key) => Root.ContainsKey(key);

    /// <summary>Rejects any top-level param not in the list (Stripe's <c>parameter_unknown</c>).</summary>
    public Params Allow(params string[] names)
    {
        foreach (var key in Root.Select(kv => kv.Key))
            if (key != "expand" && Array.IndexOf(names, key) < 0) throw StripeException.Unknown(Name(key));
        return this;
    }

    public string? Str(string key)
    {
        var node = Root[key];
        return node switch
        {
            null => null,
            JsonValue v => v.GetValue<string>(),
            _ => throw StripeException.Invalid($"Invalid string: {Name(key)} must be a string", Name(key)),
        };
    }

    /// <summary>A string that is absent or empty counts as not given.</summary>
    public string? NonEmpty(string key) => Str(key) is { Length: > 0 } s ? s : null;

    public string Required(string key) => NonEmpty(key) ?? throw StripeException.Missing(Name(key));

    public long? Long(string key)
    {
        var s = Str(key);
        if (string.IsNullOrEmpty(s)) return null;
        return long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw StripeException.Invalid($"Invalid integer: {s}", Name(key), "parameter_invalid_integer");
    }

    public long RequiredLong(string key) => Long(key) ?? throw StripeException.Missing(Name(key));

    public bool? Bool(string key) => Str(key) switch
    {
        null or "" => null,
        "true" => true,
        "false" => false,
        var s => throw StripeException.Invalid($"Invalid boolean: {s}", Name(key)),
    };

    public string? Enum(string key, params string[] allowed)
    {
        var s = NonEmpty(key);
        if (s is null || Array.IndexOf(allowed, s) >= 0) return s;
        throw StripeException.Invalid(
            $"Invalid {Name(key)}: must be one of {string.Join(", ", allowed)}", Name(key), "parameter_invalid");
    }

    public Params? Hash(string key) => Root[key] switch
    {
        null => null,
        JsonObject o => new Params(o, Name(key)),
        JsonValue v when v.GetValue<string>() == "" => null,
        _ => throw StripeException.Invalid($"Invalid object: {Name(key)} must be a hash", Name(key)),
    };

    public List<Params> HashList(string key) => Root[key] switch
    {
        null => [],
        JsonArray a => a.Select((n, i) => n is JsonObject o
            ? new Params(o, $"{Name(key)}[{i}]")
            : throw StripeException.Invalid($"Invalid array: {Name(key)}[{i}] must be a hash", Name(key))).ToList(),
        _ => throw StripeException.Invalid($"Invalid array: {Name(key)} must be an array", Name(key)),
    };

    public List<string> StrList(string key) => Root[key] switch
    {
        null => [],
        JsonArray a => a.Select(n => n is JsonValue v ? v.GetValue<string>()
            : throw StripeException.Invalid($"Invalid array: {Name(key)}", Name(key))).ToList(),
        JsonValue v when v.GetValue<string>() == "" => [],
        _ => throw StripeException.Invalid($"Invalid array: {Name(key)} must be an array", Name(key)),
    };

    public List<string> Expand => StrList("expand");
}
