using System.Text.Json;
using System.Text.Json.Nodes;

namespace Billing.Stripe.Tests.Sandbox.Support;

/// <summary>
/// Checks JSON against a component schema of Stripe's OpenAPI description (the placed 2023 spec):
/// required fields, unknown fields, types, enums, nullability, <c>anyOf</c> and <c>$ref</c>.
/// Differences the later API made (section 8 of the digest) pass only when listed in
/// <see cref="AllowedDeviations"/>.
/// </summary>
public sealed class SchemaValidator
{
    static readonly Lazy<SchemaValidator> Shared = new(() =>
        new SchemaValidator(JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "stripe/spec/spec3.2023-08-16.json")))!));

    public static SchemaValidator Instance => Shared.Value;

    readonly JsonObject schemas;

    SchemaValidator(JsonNode spec) => schemas = spec["components"]!["schemas"]!.AsObject();

    public bool Has(string schema) => schemas.ContainsKey(schema);

    /// <summary>Every problem found, as "path: message"; empty when the value fits.</summary>
    public List<string> Validate(JsonNode? value, string schemaName)
    {
        var errors = new List<string>();
        Check(value, schemas[schemaName]!.AsObject(), schemaName, "$", errors);
        return errors;
    }

    void Check(JsonNode? value, JsonObject schema, string owner, string path, List<string> errors)
    {
        if (schema["$ref"] is { } reference)
        {
            var name = reference.GetValue<string>().Split('/')[^1];
            Check(value, schemas[name]!.AsObject(), name, path, errors);
            return;
        }
        if (value is null)
        {
            if (schema["nullable"]?.GetValue<bool>() != true) errors.Add($"{path}: null but not nullable ({owner})");
            return;
        }
        if (schema["anyOf"] is JsonArray anyOf)
        {
            List<string>? best = null;
            foreach (var option in anyOf)
            {
                var attempt = new List<string>();
                Check(value, option!.AsObject(), owner, path, attempt);
                if (attempt.Count == 0) return;
                if (best is null || attempt.Count < best.Count) best = attempt;
            }
            errors.Add($"{path}: matches no anyOf option ({owner}); closest: {string.Join("; ", best!.Take(3))}");
            return;
        }
        var type = schema["type"]?.GetValue<string>();
        var kind = value.GetValueKind();
        switch (type)
        {
            case "object":
                if (kind != JsonValueKind.Object) { errors.Add($"{path}: expected object, got {kind}"); return; }
                CheckObject(value.AsObject(), schema, owner, path, errors);
                break;
            case "array":
                if (kind != JsonValueKind.Array) { errors.Add($"{path}: expected array, got {kind}"); return; }
                if (schema["items"] is JsonObject items)
                {
                    var i = 0;
                    foreach (var item in value.AsArray()) Check(item, items, owner, $"{path}[{i++}]", errors);
                }
                break;
            case "string":
                if (kind != JsonValueKind.String) { errors.Add($"{path}: expected string, got {kind}"); return; }
                if (schema["enum"] is JsonArray values && values.All(v => v is not null) &&
                    !values.Any(v => v!.GetValue<string>() == value.GetValue<string>()) &&
                    !AllowedDeviations.EnumValue(owner, path, value.GetValue<string>()))
                    errors.Add($"{path}: '{value.GetValue<string>()}' not in enum [{string.Join(",", values)}] ({owner})");
                break;
            case "integer":
                if (kind != JsonValueKind.Number || value.ToJsonString().Contains('.')) errors.Add($"{path}: expected integer, got {value.ToJsonString()}");
                break;
            case "number":
                if (kind != JsonValueKind.Number) errors.Add($"{path}: expected number, got {kind}");
                break;
            case "boolean":
                if (kind is not (JsonValueKind.True or JsonValueKind.False)) errors.Add($"{path}: expected boolean, got {kind}");
                break;
        }
    }

    void CheckObject(JsonObject value, JsonObject schema, string owner, string path, List<string> errors)
    {
        var properties = schema["properties"] as JsonObject;
        foreach (var required in schema["required"]?.AsArray() ?? [])
        {
            var name = required!.GetValue<string>();
            if (!value.ContainsKey(name) && !AllowedDeviations.MayBeMissing(owner, name))
                errors.Add($"{path}: missing required '{name}' ({owner})");
        }
        foreach (var (name, child) in value)
        {
            if (properties?[name] is JsonObject property)
                Check(child, property, owner, $"{path}.{name}", errors);
            else if (schema["additionalProperties"] is JsonObject additional)
                Check(child, additional, owner, $"{path}.{name}", errors);
            else if (properties is not null && !AllowedDeviations.MayBeAdded(owner, name))
                errors.Add($"{path}: unknown field '{name}' ({owner})");
        }
    }
}
