using System.Text.Json.Nodes;
using Billing.StripeSandbox.State;
using Billing.StripeSandbox.Wire;

namespace Billing.StripeSandbox.Apis;

public static class WebhookEndpointsApi
{
    public static void MapWebhookEndpointsApi(this IEndpointRouteBuilder api)
    {
        api.Post("/v1/webhook_endpoints", Create);
        api.Get("/v1/webhook_endpoints", c =>
        {
            var p = c.P.Allow("limit", "starting_after", "ending_before");
            return ListPage.Build(p, c.State.All(null, "webhook_endpoint"), "/v1/webhook_endpoints");
        });
        api.Get("/v1/webhook_endpoints/{id}", c => c.State.Get(null, "webhook_endpoint", c.Route("id"), "webhook endpoint"));
        api.Post("/v1/webhook_endpoints/{id}", Update);
        api.Delete("/v1/webhook_endpoints/{id}", c =>
        {
            c.P.Allow();
            var endpoint = c.State.Get(null, "webhook_endpoint", c.Route("id"), "webhook endpoint");
            c.State.Remove(endpoint["id"]!.GetValue<string>());
            return new JsonObject { ["id"] = endpoint["id"]!.DeepClone(), ["object"] = "webhook_endpoint", ["deleted"] = true };
        });
    }

    /// <summary>Registers an endpoint (from configuration or the API); the secret is kept out of the object.</summary>
    public static JsonObject Register(SandboxState s, string url, string secret, bool connect, IEnumerable<string> events, string? description, long now)
    {
        var endpoint = new JsonObject
        {
            ["id"] = Ids.New("we_"),
            ["object"] = "webhook_endpoint",
            ["api_version"] = SandboxConstants.ApiVersion,
            ["application"] = connect ? "ca_sandbox" : null,
            ["created"] = now,
            ["description"] = description,
            ["enabled_events"] = new JsonArray(events.DefaultIfEmpty("*").Select(e => (JsonNode)e).ToArray()),
            ["livemode"] = false,
            ["metadata"] = new JsonObject(),
            ["status"] = "enabled",
            ["url"] = url,
        };
        s.Hidden[endpoint["id"]!.GetValue<string>()] = new JsonObject { ["secret"] = secret, ["connect"] = connect };
        return s.Add(null, endpoint);
    }

    static JsonNode Create(ApiCall c)
    {
        var p = c.P.Allow("url", "enabled_events", "connect", "description", "metadata", "api_version");
        if (c.Account is not null) throw StripeException.Invalid("Webhook endpoints belong to the platform account.");
        var url = ValidUrl(p.Required("url"));
        var events = p.StrList("enabled_events");
        if (events.Count == 0) throw StripeException.Missing("enabled_events");
        var secret = "whsec_" + Ids.New("", 32);
        var endpoint = Register(c.State, url, secret, p.Bool("connect") ?? false, events, p.NonEmpty("description"), c.Now);
        endpoint["metadata"] = Metadata.From(p);
        var response = (JsonObject)endpoint.DeepClone();
        response["secret"] = secret;
        return response;
    }

    static JsonNode Update(ApiCall c)
    {
        var p = c.P.Allow("url", "enabled_events", "disabled", "description", "metadata");
        var endpoint = c.State.Get(null, "webhook_endpoint", c.Route("id"), "webhook endpoint");
        if (p.NonEmpty("url") is { } url) endpoint["url"] = ValidUrl(url);
        if (p.Has("enabled_events"))
            endpoint["enabled_events"] = new JsonArray(p.StrList("enabled_events").Select(e => (JsonNode)e).ToArray());
        if (p.Bool("disabled") is { } disabled) endpoint["status"] = disabled ? "disabled" : "enabled";
        if (p.Has("description")) endpoint["description"] = p.NonEmpty("description");
        endpoint["metadata"] = Metadata.Apply(endpoint["metadata"]!.AsObject(), p);
        return endpoint;
    }

    static string ValidUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? url : throw StripeException.Invalid("Invalid URL: must be an absolute http(s) URL.", "url", "url_invalid");
}
