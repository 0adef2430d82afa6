using System.Text.Json.Nodes;
using Billing.StripeSandbox.State;
using Billing.StripeSandbox.Wire;

namespace Billing.StripeSandbox.Apis;

public static class MeterEventsApi
{
    public static void MapMeterEventsApi(this IEndpointRouteBuilder api) => api.Post("/v1/billing/meter_events", Create);

    static JsonNode Create(ApiCall c)
    {
        var p = c.P.Allow("event_name", "payload", "identifier", "timestamp");
        var name = p.Required("event_name");
        var payload = p.Hash("payload") ?? throw StripeException.Missing("payload");
        var customer = payload.NonEmpty("stripe_customer_id") ?? throw StripeException.Missing(payload.Name("stripe_customer_id"));
        var value = payload.NonEmpty("value") ?? throw StripeException.Missing(payload.Name("value"));
        if (!decimal.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out _))
            throw StripeException.Invalid("The value must be a number.", payload.Name("value"));
        c.Get("customer", customer, "customer", payload.Name("stripe_customer_id"));
        var now = c.NowForCustomer(customer);
        var timestamp = p.Long("timestamp") ?? now;
        if (timestamp < now - 35L * 86400 || timestamp > now + 300)
            throw StripeException.Invalid("The timestamp must be within the past 35 days and at most 5 minutes in the future.", "timestamp");
        var identifier = p.NonEmpty("identifier") ?? Ids.New("mev_");
        if (c.State.MeterEvents.TryGetValue(identifier, out var previous) && previous["created"]!.Long() > c.Now - 86400)
            throw StripeException.Invalid($"An event with identifier {identifier} already exists.", "identifier", "resource_already_exists");
        var meterEvent = new JsonObject
        {
            ["object"] = "billing.meter_event",
            ["created"] = c.Now,
            ["event_name"] = name,
            ["identifier"] = identifier,
            ["livemode"] = false,
            ["payload"] = payload.Root.DeepClone(),
            ["timestamp"] = timestamp,
        };
        c.State.MeterEvents[identifier] = meterEvent;
        return meterEvent;
    }
}
