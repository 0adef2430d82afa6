using System.Text.Json;
using System.Text.Json.Serialization;

namespace Billing.Stripe;

/// <summary>
/// A Stripe <c>event</c>, as delivered to a webhook or listed by <see cref="EventService"/>.
/// <see cref="Data"/> keeps the object as raw JSON so that any type can be read, with
/// <see cref="GetObject{T}"/> giving the typed view.
/// </summary>
public sealed record StripeEvent : StripeEntity, IHasId
{
    public required string Id { get; init; }
    /// <summary>E.g. <c>checkout.session.completed</c>.</summary>
    public string Type { get; init; } = "";
    public DateTimeOffset Created { get; init; }
    /// <summary>The connected account the event happened on; null for the platform's own events.</summary>
    public string? Account { get; init; }
    public bool Livemode { get; init; }
    /// <summary>The API version <see cref="Data"/> was rendered with.</summary>
    public string? ApiVersion { get; init; }
    public int PendingWebhooks { get; init; }
    /// <summary>The API request that caused the event; null id means an automatic action (e.g. a renewal).</summary>
    [JsonConverter(typeof(EventRequestConverter))]
    public EventRequest? Request { get; init; }
    public EventData Data { get; init; } = new();

    /// <summary>The <c>object</c> field of <c>data.object</c>, e.g. <c>invoice</c>.</summary>
    public string? ObjectType =>
        Data.Object.ValueKind == JsonValueKind.Object && Data.Object.TryGetProperty("object", out var o) && o.ValueKind == JsonValueKind.String
            ? o.GetString()
            : null;

    /// <summary>Reads <c>data.object</c> as <typeparamref name="T"/> (e.g. <see cref="Invoice"/>).</summary>
    /// <exception cref="JsonException">The object does not fit <typeparamref name="T"/>.</exception>
    public T GetObject<T>() =>
        Data.Object.Deserialize<T>(StripeJson.Options) ?? throw new JsonException("The event has no data.object.");
}

public sealed record EventData
{
    /// <summary>The object as it was when the event happened.</summary>
    public JsonElement Object { get; init; }

    /// <summary>For <c>*.updated</c>: the old values of the fields that changed.</summary>
    public JsonElement? PreviousAttributes { get; init; }
}

public sealed record EventRequest
{
    /// <summary><c>req_...</c>, or null for automatic actions.</summary>
    public string? Id { get; init; }
    /// <summary>The idempotency key of the request that caused the event.</summary>
    public string? IdempotencyKey { get; init; }
}

/// <summary>Very old API versions sent <c>request</c> as a bare id string.</summary>
internal sealed class EventRequestConverter : JsonConverter<EventRequest>
{
    public override EventRequest? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.Null => null,
            JsonTokenType.String => new EventRequest { Id = reader.GetString() },
            JsonTokenType.StartObject => ReadObject(ref reader),
            _ => throw new JsonException("Expected the event's request as an object or an id."),
        };

    private static EventRequest ReadObject(ref Utf8JsonReader reader)
    {
        string? id = null, key = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case "id":
                    id = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    break;
                case "idempotency_key":
                    key = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
        return new EventRequest { Id = id, IdempotencyKey = key };
    }

    public override void Write(Utf8JsonWriter writer, EventRequest value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("id", value.Id);
        writer.WriteString("idempotency_key", value.IdempotencyKey);
        writer.WriteEndObject();
    }
}
