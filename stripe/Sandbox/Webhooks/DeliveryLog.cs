using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Billing.StripeSandbox.Webhooks;

/// <summary>Every delivery attempt and its result, newest last, capped so a long run stays small.</summary>
public sealed class DeliveryLog
{
    const int Capacity = 20_000;
    readonly ConcurrentQueue<DeliveryRecord> records = new();

    public void Add(DeliveryRecord record)
    {
        records.Enqueue(record);
        while (records.Count > Capacity) records.TryDequeue(out _);
    }

    public IReadOnlyList<DeliveryRecord> Snapshot() => records.ToArray();
}

public sealed record DeliveryRecord(
    string Id, string EventId, string EventType, string EndpointId, string Url, int Attempt, bool Duplicate,
    string Status, int? HttpStatus, string? Error, DateTimeOffset At, long DurationMs)
{
    public JsonObject ToJson() => new()
    {
        ["id"] = Id,
        ["object"] = "webhook_delivery",
        ["event"] = EventId,
        ["event_type"] = EventType,
        ["webhook_endpoint"] = EndpointId,
        ["url"] = Url,
        ["attempt"] = Attempt,
        ["duplicate"] = Duplicate,
        ["status"] = Status,
        ["http_status"] = HttpStatus,
        ["error"] = Error,
        ["created"] = At.ToUnixTimeSeconds(),
        ["created_ms"] = At.ToUnixTimeMilliseconds(),
        ["duration_ms"] = DurationMs,
    };
}
