using System.Text.Json.Nodes;
using Billing.StripeSandbox.Wire;

namespace Billing.StripeSandbox.Apis;

public static class InvoicesApi
{
    public static void MapInvoicesApi(this IEndpointRouteBuilder api)
    {
        api.Get("/v1/invoices", List);
        api.Get("/v1/invoices/{id}", c => c.Get("invoice", c.Route("id"), "invoice"));
        api.Get("/v1/invoices/{id}/lines", c =>
        {
            var p = c.P.Allow("limit", "starting_after", "ending_before");
            var invoice = c.Get("invoice", c.Route("id"), "invoice");
            var lines = invoice["lines"]!["data"]!.AsArray().OfType<JsonObject>().Reverse();
            return ListPage.Build(p, lines, $"/v1/invoices/{invoice["id"]}/lines");
        });
    }

    static JsonNode List(ApiCall c)
    {
        var p = c.P.Allow("limit", "starting_after", "ending_before", "created", "customer", "subscription", "status",
            "collection_method", "due_date");
        var customer = p.NonEmpty("customer");
        var subscription = p.NonEmpty("subscription");
        var status = p.Enum("status", "draft", "open", "paid", "uncollectible", "void");
        var items = c.State.All(c.Account, "invoice").Where(o =>
            (customer is null || o["customer"]!.GetValue<string>() == customer) &&
            (subscription is null || o["parent"]?["subscription_details"]?["subscription"]?.GetValue<string>() == subscription) &&
            (status is null || o["status"]!.GetValue<string>() == status));
        return ListPage.Build(p, items, "/v1/invoices");
    }
}
