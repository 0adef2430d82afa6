using System.Collections.Concurrent;
using System.Text.Json;
using Billing.ServiceDefaults.Http;

namespace Billing.ServiceDefaults.Messaging;

/// <summary>How an outbox row names and stores its message, and how the relay reads it back.</summary>
internal static class MessageTypes
{
    private static readonly ConcurrentDictionary<string, Type?> Resolved = new();

    /// <summary><c>Full.Type.Name, Assembly</c>: no version, so a redeploy still reads older rows.</summary>
    public static string NameOf(Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";

    public static Type? Resolve(string name) => Resolved.GetOrAdd(name, n => Type.GetType(n, throwOnError: false));

    public static string Serialize(object message) => JsonSerializer.Serialize(message, message.GetType(), JsonDefaults.Options);

    public static object Deserialize(string body, Type type) =>
        JsonSerializer.Deserialize(body, type, JsonDefaults.Options) ?? throw new JsonException("The body is JSON null.");

    public static string? SerializeHeaders(IReadOnlyDictionary<string, string>? headers) =>
        headers is null || headers.Count == 0 ? null : JsonSerializer.Serialize(headers);

    public static Dictionary<string, string> DeserializeHeaders(string? json) =>
        json is null ? [] : JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];
}
