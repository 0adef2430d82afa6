using System.Text.Json.Nodes;
using Billing.StripeSandbox.Flows;
using Billing.StripeSandbox.Webhooks;
using Billing.StripeSandbox.Wire;

namespace Billing.StripeSandbox.Apis;

/// <summary>
/// Sandbox-only helpers that do what a person does on the hosted pages, without a browser, plus
/// webhook delivery inspection and chaos switches. Same auth and wire format as the API.
/// </summary>
public static class TestHelpersApi
{
    public static void MapTestHelpersApi(this IEndpointRouteBuilder api)
    {
        api.Post("/v1/test_helpers/checkout/sessions/{id}/complete", c =>
        {
            var p = c.P.Allow("card", "payment_method", "email", "name");
            var session = c.Get("checkout.session", c.Route("id"), "checkout.session", "session");
            var card = p.NonEmpty("card") ?? p.NonEmpty("payment_method") ?? TestCards.Succeeds;
            return Checkout.Complete(c.State, c.Cause, session, card, p.NonEmpty("email"), p.NonEmpty("name"));
        });
        api.Post("/v1/test_helpers/accounts/{id}/onboard", c =>
        {
            c.P.Allow();
            var account = c.State.Get(null, "account", c.Route("id"), "account", "account");
            Connect.Onboard(c.State, c.Cause, account);
            return account;
        });
        api.Post("/v1/test_helpers/billing_portal/sessions/{id}/cancel_subscription", c =>
            Portal.CancelAtPeriodEnd(c.State, c.Cause, PortalSession(c), c.P.Allow("subscription").Required("subscription")));
        api.Post("/v1/test_helpers/billing_portal/sessions/{id}/resume_subscription", c =>
            Portal.Resume(c.State, c.Cause, PortalSession(c), c.P.Allow("subscription").Required("subscription")));
        api.Post("/v1/test_helpers/billing_portal/sessions/{id}/switch_price", c =>
        {
            var p = c.P.Allow("subscription", "price");
            return Portal.SwitchPrice(c.State, c.Cause, PortalSession(c), p.Required("subscription"), p.Required("price"));
        });
        api.Post("/v1/test_helpers/billing_portal/sessions/{id}/update_card", c =>
            Portal.UpdateCard(c.State, c.Cause, PortalSession(c), c.P.Allow("card").Required("card")));

        api.Get("/v1/test_helpers/webhook_deliveries", Deliveries);
        api.Post("/v1/test_helpers/webhooks/chaos", Chaos);
    }

    static JsonObject PortalSession(ApiCall c)
    {
        var session = Portal.Session(c.State, c.Route("id"));
        return c.State.ScopeOf(session["id"]!.GetValue<string>()) == c.Account ? session
            : throw StripeException.NotFound("billing portal session", c.Route("id"));
    }

    static JsonNode Deliveries(ApiCall c)
    {
        var p = c.P.Allow("event", "webhook_endpoint", "status", "limit");
        var evt = p.NonEmpty("event");
        var endpoint = p.NonEmpty("webhook_endpoint");
        var status = p.NonEmpty("status");
        var limit = p.Long("limit") ?? 100;
        var records = c.Http.RequestServices.GetRequiredService<DeliveryLog>().Snapshot()
            .Where(r => (evt is null || r.EventId == evt) && (endpoint is null || r.EndpointId == endpoint) && (status is null || r.Status == status))
            .Reverse().Take((int)Math.Clamp(limit, 1, 10_000)).Select(r => (JsonNode)r.ToJson()).ToArray();
        return new JsonObject
        {
            ["object"] = "list", ["data"] = new JsonArray(records), ["has_more"] = false, ["url"] = "/v1/test_helpers/webhook_deliveries",
        };
    }

    static JsonNode Chaos(ApiCall c)
    {
        var p = c.P.Allow("duplicate", "shuffle_window", "delay_ms", "drop_percent", "reset");
        var chaos = c.Http.RequestServices.GetRequiredService<ChaosSwitch>();
        var next = p.Bool("reset") == true ? new ChaosOptions() : chaos.Current.Copy();
        if (p.Bool("duplicate") is { } dup) next.Duplicate = dup;
        if (p.Long("shuffle_window") is { } window) next.ShuffleWindow = (int)Math.Clamp(window, 0, 1000);
        if (p.Long("delay_ms") is { } delay) next.DelayMs = (int)Math.Clamp(delay, 0, 600_000);
        if (p.Long("drop_percent") is { } drop)
            next.DropPercent = drop is >= 0 and <= 100 ? (int)drop : throw StripeException.Invalid("drop_percent must be 0-100.", "drop_percent");
        chaos.Current = next;
        return new JsonObject
        {
            ["object"] = "webhook_chaos",
            ["duplicate"] = next.Duplicate,
            ["shuffle_window"] = next.ShuffleWindow,
            ["delay_ms"] = next.DelayMs,
            ["drop_percent"] = next.DropPercent,
        };
    }
}
