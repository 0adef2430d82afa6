using System.Text.Json;
using System.Text.Json.Serialization;

namespace Billing.Stripe;

/// <summary>Anything Stripe identifies by an <c>id</c>.</summary>
public interface IHasId
{
    /// <summary>The Stripe id, e.g. <c>cus_...</c>.</summary>
    string Id { get; }
}

/// <summary>
/// An expandable field: Stripe sends the related object's id, or the whole object when the
/// request asked for it with <c>expand[]</c>. <see cref="Id"/> is always set.
/// </summary>
public sealed record Expandable<T>(string Id, T? Object) where T : class, IHasId
{
    /// <summary>True when Stripe sent the whole object.</summary>
    public bool IsExpanded => Object is not null;

    /// <summary>An id-only reference.</summary>
    public static implicit operator Expandable<T>(string id) => new(id, null);

    /// <inheritdoc />
    public override string ToString() => Id;
}

internal sealed class ExpandableConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(Expandable<>);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(ExpandableConverter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]))!;
}

internal sealed class ExpandableConverter<T> : JsonConverter<Expandable<T>> where T : class, IHasId
{
    public override Expandable<T>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                return new Expandable<T>(reader.GetString()!, null);
            case JsonTokenType.StartObject:
                var value = JsonSerializer.Deserialize<T>(ref reader, options)
                    ?? throw new JsonException($"Expected a {typeof(T).Name} object.");
                return new Expandable<T>(value.Id, value);
            default:
                throw new JsonException($"Expected an id or a {typeof(T).Name} object.");
        }
    }

    public override void Write(Utf8JsonWriter writer, Expandable<T> value, JsonSerializerOptions options)
    {
        if (value.Object is null)
            writer.WriteStringValue(value.Id);
        else
            JsonSerializer.Serialize(writer, value.Object, options);
    }
}
