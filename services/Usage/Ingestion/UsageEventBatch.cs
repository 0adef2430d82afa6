using System.Text.Json;

namespace Billing.Usage.Ingestion;

/// <summary>One event of a batch that passed the checks, with the key of the customer it counts for.</summary>
public sealed record UsageEventRow(string EventId, string CustomerKey, string Meter, string Aggregation, long Quantity, DateTimeOffset OccurredAt);

/// <summary>An event left out of its batch, by its position in <c>events</c>, with why.</summary>
public sealed record RejectedEvent(int Index, string Code);

/// <summary>An event as sent, before its customer and meter are checked.</summary>
internal sealed record ParsedEvent(int Index, string Id, string? CustomerId, string? ExternalId, string Meter, long Quantity, DateTimeOffset Timestamp);

/// <summary>
/// Reads a batch event by event, so one malformed event is rejected by its index and never fails the
/// others: each is a JSON object read by hand rather than bound to a record (a binder fails the whole body).
/// </summary>
public static class UsageEventBatch
{
    public const int MaxEvents = 1000;
    public const int MaxIdLength = 255;
    /// <summary>How far back an event may be dated: it counts in its own UTC day.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(35);
    /// <summary>Clock skew tolerated for events dated in the future.</summary>
    public static readonly TimeSpan MaxFuture = TimeSpan.FromMinutes(5);

    /// <summary>The per-event codes of <c>rejected[]</c>.</summary>
    public static class Codes
    {
        public const string Malformed = "validation_failed";
        public const string UnknownMeter = "unknown_meter";
        public const string UnknownCustomer = "unknown_customer";
        public const string TooOld = "timestamp_too_old";
        public const string InFuture = "timestamp_in_future";
    }

    internal static ParsedEvent? Parse(int index, JsonElement e, DateTimeOffset now, List<RejectedEvent> rejected)
    {
        string? Text(string name, int max) =>
            e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s && s.Length <= max
            && !s.Contains('\0') ? s : null;

        if (e.ValueKind != JsonValueKind.Object) return Reject(index, Codes.Malformed, rejected);
        var id = Text("id", MaxIdLength);
        var meter = Text("meter", 64);
        var customerId = Text("customerId", 255);
        var externalId = Text("customerExternalId", 255);
        var quantityOk = e.TryGetProperty("quantity", out var q) && q.ValueKind == JsonValueKind.Number && q.TryGetInt64(out _);
        var quantity = quantityOk ? q.GetInt64() : -1;
        DateTimeOffset timestamp = default;
        var timestampOk = e.TryGetProperty("timestamp", out var t) && t.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(t.GetString(), System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal, out timestamp);
        if (id is null || meter is null || (customerId is null) == (externalId is null) || quantity < 0 || !timestampOk)
            return Reject(index, Codes.Malformed, rejected);
        if (timestamp > now + MaxFuture) return Reject(index, Codes.InFuture, rejected);
        if (timestamp < now - MaxAge) return Reject(index, Codes.TooOld, rejected);
        return new ParsedEvent(index, id, customerId, externalId, meter, quantity, timestamp.ToUniversalTime());
    }

    private static ParsedEvent? Reject(int index, string code, List<RejectedEvent> rejected)
    {
        rejected.Add(new RejectedEvent(index, code));
        return null;
    }
}
