using Billing.StripeSandbox.State;
using System.Text.Json.Nodes;
using Billing.StripeSandbox.Wire;

namespace Billing.StripeSandbox.State;

/// <summary>
/// Every Stripe object the sandbox holds, as the JSON it is served as. One lock (<see cref="Gate"/>)
/// guards all of it: requests are short and in memory, and one lock makes multi-object flows
/// (checkout completion touches a dozen objects) atomic without any ordering rules.
/// Objects live in a scope: the platform (<c>null</c>) or a connected account (<c>acct_...</c>).
/// </summary>
public sealed class SandboxState(TimeProvider time)
{
    sealed record Stored(JsonObject Obj, string? Account);

    readonly Dictionary<string, Stored> byId = new(StringComparer.Ordinal);
    readonly Dictionary<(string?, string), List<JsonObject>> byType = new();

    public object Gate { get; } = new();
    public TimeProvider Time { get; } = time;

    /// <summary>Card numbers behind payment methods: how a later charge knows whether to fail.</summary>
    public Dictionary<string, string> CardNumbers { get; } = new(StringComparer.Ordinal);
    /// <summary>Checkout line items (served only through <c>expand[]=line_items</c> or the sub-list).</summary>
    public Dictionary<string, List<JsonObject>> SessionLineItems { get; } = new(StringComparer.Ordinal);
    /// <summary>Account-link tokens of the hosted onboarding page.</summary>
    public Dictionary<string, AccountLinkTicket> AccountLinks { get; } = new(StringComparer.Ordinal);
    /// <summary>Meter events by identifier (they have no id of their own).</summary>
    public Dictionary<string, JsonObject> MeterEvents { get; } = new(StringComparer.Ordinal);
    /// <summary>Request data Stripe keeps but does not render (e.g. a session's <c>payment_intent_data</c>), by owner id.</summary>
    public Dictionary<string, JsonObject> Hidden { get; } = new(StringComparer.Ordinal);
    /// <summary>Raised for every event, inside the lock; webhook delivery queues it.</summary>
    public event Action<JsonObject, string?>? EventEmitted;

    /// <summary>Base of hosted page URLs for objects made without a request (renewal invoices): set by the first API call.</summary>
    public string? PublicBaseUrl { get; set; }

    public long RealNow => Time.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>The time an object lives in: its test clock's frozen time, else the wall clock.</summary>
    public long NowFor(string? testClockId) =>
        testClockId is not null && Find(testClockId) is { } clock ? clock["frozen_time"]!.Long() : RealNow;

    public long NowForCustomer(string? customerId) =>
        NowFor(customerId is not null ? Find(customerId)?["test_clock"]?.GetValue<string>() : null);

    public JsonObject Add(string? account, JsonObject obj)
    {
        var id = obj["id"]!.GetValue<string>();
        var type = obj["object"]!.GetValue<string>();
        byId[id] = new Stored(obj, account);
        if (!byType.TryGetValue((account, type), out var list)) byType[(account, type)] = list = [];
        list.Add(obj);
        return obj;
    }

    public void Remove(string id)
    {
        if (!byId.Remove(id, out var stored)) return;
        byType[(stored.Account, stored.Obj["object"]!.GetValue<string>())].Remove(stored.Obj);
    }

    /// <summary>Any object by id, whatever its scope (for internal links between objects).</summary>
    public JsonObject? Find(string id) => byId.TryGetValue(id, out var s) ? s.Obj : null;

    public string? ScopeOf(string id) => byId.TryGetValue(id, out var s) ? s.Account : null;

    /// <summary>An object of a type visible in the caller's scope, or Stripe's 404.</summary>
    public JsonObject Get(string? account, string type, string id, string kind, string param = "id")
    {
        if (byId.TryGetValue(id, out var s) && s.Account == account && s.Obj["object"]!.GetValue<string>() == type)
            return s.Obj;
        throw StripeException.NotFound(kind, id, param);
    }

    /// <summary>Objects of a type in a scope, oldest first.</summary>
    public IReadOnlyList<JsonObject> All(string? account, string type) =>
        byType.TryGetValue((account, type), out var list) ? list : [];

    public IEnumerable<string?> Scopes(string type) => byType.Keys.Where(k => k.Item2 == type).Select(k => k.Item1);

    /// <summary>Records an event about <paramref name="obj"/> (snapshotted now) in the object's scope.</summary>
    public JsonObject Emit(string type, JsonObject obj, Cause cause, JsonObject? previous = null)
    {
        var id = obj["id"]?.GetValue<string>();
        var account = id is null ? null : ScopeOf(id);
        if (obj["object"]?.GetValue<string>() == "account") account = id;
        var clock = obj["test_clock"]?.GetValue<string>() ?? (obj["customer"] is JsonValue c ? Find(c.GetValue<string>())?["test_clock"]?.GetValue<string>() : null);
        var data = new JsonObject { ["object"] = obj.DeepClone() };
        if (previous is not null) data["previous_attributes"] = previous;
        var evt = new JsonObject
        {
            ["id"] = Ids.New("evt_"),
            ["object"] = "event",
            ["api_version"] = SandboxConstants.ApiVersion,
            ["created"] = NowFor(clock),
            ["data"] = data,
            ["livemode"] = false,
            ["pending_webhooks"] = 0,
            ["request"] = cause.ToJson(),
            ["type"] = type,
        };
        if (account is not null) evt["account"] = account;
        Add(account, evt);
        EventEmitted?.Invoke(evt, account);
        return evt;
    }

    /// <summary>
    /// Applies a change and, when anything changed, emits <paramref name="eventType"/> with the old
    /// values of the changed top-level fields as <c>previous_attributes</c>.
    /// </summary>
    public bool Update(JsonObject obj, Cause cause, string? eventType, Action<JsonObject> change)
    {
        var before = (JsonObject)obj.DeepClone();
        change(obj);
        return eventType is null ? Diff(before, obj).Count > 0 : EmitChanges(obj, before, cause, eventType);
    }

    /// <summary>
    /// Emits <paramref name="eventType"/> for what changed since <paramref name="before"/> (a snapshot):
    /// for flows whose one update event must also cover objects made along the way.
    /// </summary>
    public bool EmitChanges(JsonObject obj, JsonObject before, Cause cause, string eventType)
    {
        var previous = Diff(before, obj);
        if (previous.Count == 0) return false;
        Emit(eventType, obj, cause, previous);
        return true;
    }

    /// <summary>
    /// Old values of what changed, as Stripe renders <c>previous_attributes</c>: nested hashes only
    /// with their changed keys, lists and scalars whole, fields that did not exist as null.
    /// </summary>
    static JsonObject Diff(JsonObject before, JsonObject after)
    {
        var previous = new JsonObject();
        foreach (var (key, old) in before)
        {
            var now = after[key];
            if (JsonNode.DeepEquals(old, now)) continue;
            previous[key] = old is JsonObject o && now is JsonObject n && o["object"]?.GetValue<string>() != "list"
                ? Diff(o, n)
                : old?.DeepClone();
        }
        foreach (var (key, _) in after)
            if (!before.ContainsKey(key)) previous[key] = null;
        return previous;
    }
}

public sealed class AccountLinkTicket
{
    public required string Account { get; init; }
    public required string? RefreshUrl { get; init; }
    public required string? ReturnUrl { get; init; }
    public required long ExpiresAt { get; init; }
    public bool Used { get; set; }
}
