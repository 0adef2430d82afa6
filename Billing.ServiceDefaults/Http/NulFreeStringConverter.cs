using System.Text.Json;
using System.Text.Json.Serialization;

namespace Billing.ServiceDefaults.Http;

/// <summary>
/// Refuses a NUL character (<c>\u0000</c>) in any JSON string, values and object keys alike:
/// Postgres cannot store it in text, so it would otherwise surface as a 500 from whichever table
/// the string reached. Refused while reading, it is the caller's 400 <c>validation_failed</c>.
/// </summary>
public sealed class NulFreeStringConverter : JsonConverter<string>
{
    public override bool HandleNull => false;

    public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Checked(reader.GetString()!);

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Checked(reader.GetString()!);

    public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
        writer.WritePropertyName(value);

    private static string Checked(string value) =>
        value.Contains('\0') ? throw new JsonException("A string contains a NUL character (\\u0000), which is not accepted.") : value;
}
