using System.Text.Json.Nodes;

namespace Billing.StripeSandbox.Wire;

/// <summary>Stripe's metadata rules: strings only, <c>metadata[k]=</c> deletes k, <c>metadata=</c> deletes all.</summary>
public static class Metadata
{
    public static JsonObject From(Params p, string key = "metadata") => Apply(new JsonObject(), p, key);

    public static JsonObject Apply(JsonObject current, Params p, string key = "metadata")
    {
        if (!p.Has(key)) return current;
        if (p.Root[key] is JsonValue v && v.GetValue<string>() == "") return new JsonObject();
        var hash = p.Hash(key)!;
        var result = (JsonObject)current.DeepClone();
        foreach (var (k, value) in hash.Root)
        {
            if (k.Length > 40) throw StripeException.Invalid("Metadata keys can have up to 40 characters.", $"{p.Name(key)}[{k}]");
            if (value is not JsonValue) throw StripeException.Invalid("Metadata values must be strings.", $"{p.Name(key)}[{k}]");
            var s = value.GetValue<string>();
            if (s.Length > 500) throw StripeException.Invalid("Metadata values can have up to 500 characters.", $"{p.Name(key)}[{k}]");
            if (s.Length == 0) result.Remove(k); else result[k] = s;
        }
        if (result.Count > 50) throw StripeException.Invalid("Metadata can have up to 50 keys.", p.Name(key));
        return result;
    }
}
