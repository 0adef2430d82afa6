using System.Text.Json.Nodes;
using Billing.StripeSandbox.State;
using Billing.StripeSandbox.Wire;

namespace Billing.StripeSandbox.Apis;

public static class PortalApi
{
    public const string DefaultConfiguration = "bpc_sandboxdefault";

    public static void MapPortalApi(this IEndpointRouteBuilder api) => api.Post("/v1/billing_portal/sessions", Create);

    static JsonNode Create(ApiCall c)
    {
        var p = c.P.Allow("customer", "customer_account", "return_url", "configuration", "locale", "flow_data", "on_behalf_of");
        var customerId = p.NonEmpty("customer") ?? throw StripeException.Missing("customer");
        c.Get("customer", customerId, "customer", "customer");
        JsonObject? flow = null;
        if (p.Hash("flow_data") is { } data)
        {
            var type = data.Enum("type", "payment_method_update", "subscription_cancel", "subscription_update",
                "subscription_update_confirm", "subscription_pause", "customer_update") ?? throw StripeException.Missing(data.Name("type"));
            flow = new JsonObject { ["type"] = type, ["after_completion"] = new JsonObject { ["type"] = "portal_homepage", ["hosted_confirmation"] = null, ["redirect"] = null } };
        }
        var returnUrl = p.NonEmpty("return_url");
        if (returnUrl is not null && !Uri.TryCreate(returnUrl, UriKind.Absolute, out _))
            throw StripeException.Invalid("Not a valid URL", "return_url", "url_invalid");
        var id = Ids.New("bps_");
        var session = new JsonObject
        {
            ["id"] = id,
            ["object"] = "billing_portal.session",
            ["configuration"] = p.NonEmpty("configuration") ?? DefaultConfiguration,
            ["created"] = c.NowForCustomer(customerId),
            ["customer"] = customerId,
            ["flow"] = flow,
            ["livemode"] = false,
            ["locale"] = p.NonEmpty("locale"),
            ["on_behalf_of"] = null,
            ["return_url"] = returnUrl,
            ["url"] = $"{c.BaseUrl}/billing_portal/{id}",
        };
        return c.State.Add(c.Account, session);
    }
}
