using System.Text.Json;
using System.Text.Json.Serialization;

namespace Billing.Stripe;

/// <summary>
/// The JSON conventions of the Stripe API: snake_case names, enums as snake_case strings,
/// times as Unix seconds, unknown fields ignored. Use these options to read any Stripe payload
/// (for example <see cref="StripeEvent.GetObject{T}"/> does).
/// </summary>
public static class StripeJson
{
    /// <summary>Shared, read-only serializer options.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            // Stripe adds fields all the time; a new field must never break a running service.
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
            NumberHandling = JsonNumberHandling.AllowReadingFromString,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        options.Converters.Add(new UnixTimeConverter());
        options.Converters.Add(new ExpandableConverterFactory());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}

/// <summary>Stripe sends and expects times as integer Unix seconds.</summary>
internal sealed class UnixTimeConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.Number => DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64()),
            JsonTokenType.String when long.TryParse(reader.GetString(), out var s) => DateTimeOffset.FromUnixTimeSeconds(s),
            _ => throw new JsonException("Expected a Unix timestamp."),
        };

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteNumberValue(value.ToUnixTimeSeconds());
}
