using System.Text.Json.Nodes;
using Billing.StripeSandbox.State;

namespace Billing.StripeSandbox.Wire;

/// <summary>
/// <c>expand[]</c>: replaces id fields by the objects they name (dots nest, lists start with
/// <c>data.</c>) and adds the includable fields Stripe leaves out unless asked.
/// </summary>
public static class Expander
{
    public static void Apply(JsonObject root, IEnumerable<string> paths, SandboxState state)
    {
        foreach (var path in paths)
        {
            var parts = path.Split('.');
            if (parts.Length > 4) throw StripeException.Invalid($"You cannot expand more than 4 levels of a property. Property: {path}");
            Expand(root, parts, 0, state, path);
        }
    }

    static void Expand(JsonObject node, string[] parts, int index, SandboxState state, string path)
    {
        var name = parts[index];
        if (node["object"]?.GetValue<string>() == "list" && name == "data")
        {
            if (index + 1 < parts.Length)
                foreach (var item in node["data"]!.AsArray().OfType<JsonObject>()) Expand(item, parts, index + 1, state, path);
            return;
        }
        var value = node[name];
        if (value.IsString() && value!.GetValue<string>() is var id)
        {
            var target = state.Find(id) ?? throw StripeException.Invalid($"This property cannot be expanded ({path}).");
            value = target.DeepClone();
            node[name] = value;
        }
        else if (value is null && !node.ContainsKey(name) && Includable(node, name, state) is { } included)
        {
            value = included;
            node[name] = value;
        }
        else if (value is null && !node.ContainsKey(name))
        {
            throw StripeException.Invalid($"This property cannot be expanded ({path}).");
        }
        if (index + 1 < parts.Length && value is JsonObject child) Expand(child, parts, index + 1, state, path);
    }

    static JsonObject? Includable(JsonObject node, string name, SandboxState state)
    {
        var type = node["object"]?.GetValue<string>();
        var id = node["id"]?.GetValue<string>();
        return (type, name) switch
        {
            ("checkout.session", "line_items") when id is not null =>
                ListPage.Whole(state.SessionLineItems.GetValueOrDefault(id) ?? [], $"/v1/checkout/sessions/{id}/line_items"),
            ("customer", "subscriptions") when id is not null =>
                ListPage.Whole(state.All(state.ScopeOf(id), "subscription")
                    .Where(s => s["customer"]?.GetValue<string>() == id).Reverse().ToList(), $"/v1/customers/{id}/subscriptions"),
            ("customer", "tax_ids") or ("customer", "sources") => ListPage.Whole([], $"/v1/customers/{id}/{name}"),
            _ => null,
        };
    }
}
