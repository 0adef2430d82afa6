using Billing.StripeSandbox.State;
using System.Text.Json.Nodes;
using Billing.StripeSandbox.Wire;

namespace Billing.StripeSandbox.Apis;

public static class EventsApi
{
    public static void MapEventsApi(this IEndpointRouteBuilder api)
    {
        api.Get("/v1/events/{id}", c => c.Get("event", c.Route("id"), "event"));
        api.Get("/v1/events", List);
    }

    static JsonNode List(ApiCall c)
    {
        var p = c.P.Allow("limit", "starting_after", "ending_before", "created", "type", "types", "delivery_success");
        var type = p.NonEmpty("type");
        var types = p.StrList("types");
        if (type is not null && types.Count > 0)
            throw StripeException.Invalid("You may specify either `type` or `types`, but not both.", "types");
        if (types.Count > 20) throw StripeException.Invalid("You may specify at most 20 types.", "types");
        var delivered = p.Bool("delivery_success");
        var items = c.State.All(c.Account, "event").Where(e =>
        {
            var t = e["type"]!.GetValue<string>();
            // The sandbox keeps every event (Stripe returns the last 30 days): test clocks date events in the future.
            return (type is null || Matches(t, type))
                && (types.Count == 0 || types.Any(x => Matches(t, x)))
                && (delivered is null || (e["pending_webhooks"]!.Long() == 0) == delivered);
        });
        return ListPage.Build(p, items, "/v1/events");
    }

    /// <summary>Exact type, or a wildcard group such as <c>invoice.*</c>.</summary>
    static bool Matches(string type, string pattern) =>
        pattern == "*" || pattern == type ||
        (pattern.EndsWith(".*", StringComparison.Ordinal) && type.StartsWith(pattern[..^1], StringComparison.Ordinal));
}
