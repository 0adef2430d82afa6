using System.Text.Json.Nodes;
using Billing.StripeSandbox.Flows;
using Billing.StripeSandbox.Wire;

namespace Billing.StripeSandbox.Apis;

public static class InvoicesApi
{
    public static void MapInvoicesApi(this IEndpointRouteBuilder api)
    {
        api.Get("/v1/invoices", List);
        api.Post("/v1/invoices/create_preview", CreatePreview);
        api.Get("/v1/invoiceitems", ListItems);
        api.Get("/v1/invoiceitems/{id}", c => c.Get("invoiceitem", c.Route("id"), "invoiceitem"));
        api.Get("/v1/invoices/{id}", c => c.Get("invoice", c.Route("id"), "invoice"));
        api.Get("/v1/invoices/{id}/lines", c =>
        {
            var p = c.P.Allow("limit", "starting_after", "ending_before");
            var invoice = c.Get("invoice", c.Route("id"), "invoice");
            var lines = invoice["lines"]!["data"]!.AsArray().OfType<JsonObject>().Reverse();
            return ListPage.Build(p, lines, $"/v1/invoices/{invoice["id"]}/lines");
        });
    }

    /// <summary>
    /// The invoice a subscription change would make now, or the subscription's next invoice, with the
    /// change's prorations (<see cref="SubscriptionChanges"/>). Nothing is stored.
    /// </summary>
    static JsonNode CreatePreview(ApiCall c)
    {
        var p = c.P.Allow("customer", "subscription", "subscription_details", "preview_mode");
        p.Enum("preview_mode", "next", "recurring");
        var customer = p.NonEmpty("customer");
        if (customer is not null) c.Get("customer", customer, "customer", "customer");
        var sub = p.NonEmpty("subscription") is { } subId
            ? c.Get("subscription", subId, "subscription", "subscription")
            : customer is not null
                ? c.State.All(c.Account, "subscription").LastOrDefault(o => o["customer"]!.GetValue<string>() == customer && Subscriptions.IsLive(o))
                : throw StripeException.Missing("customer");
        if (sub is null)
            throw new StripeException(404, "invalid_request_error", $"No upcoming invoices for customer: {customer}", "invoice_upcoming_none");
        if (customer is not null && sub["customer"]!.GetValue<string>() != customer)
            throw StripeException.Invalid("The subscription does not belong to this customer.", "subscription");

        SubscriptionChanges.Plan? plan = null;
        if (p.Hash("subscription_details") is { } d)
        {
            d.Allow("items", "proration_behavior", "proration_date", "billing_cycle_anchor");
            var behavior = d.Enum("proration_behavior", "create_prorations", "always_invoice", "none");
            var anchor = SubscriptionChanges.Anchor(d);
            var itemParams = d.HashList("items");
            var prices = itemParams.Select(i => i.NonEmpty("price") is { } pid ? c.Get("price", pid, "price", i.Name("price")) : null).ToList();
            if (itemParams.Count > 0 || anchor == "now")
                plan = SubscriptionChanges.Compute(c.State, sub, itemParams, prices, behavior, d.Long("proration_date"), anchor,
                    d.Name("proration_date"), c.State.NowFor(sub["test_clock"]?.GetValue<string>()), "il_tmp_");
        }
        return SubscriptionChanges.Preview(c.State, sub, plan);
    }

    static JsonNode ListItems(ApiCall c)
    {
        var p = c.P.Allow("limit", "starting_after", "ending_before", "created", "customer", "invoice", "pending");
        var customer = p.NonEmpty("customer");
        var invoice = p.NonEmpty("invoice");
        var pending = p.Bool("pending");
        var items = c.State.All(c.Account, "invoiceitem").Where(o =>
            (customer is null || o["customer"]!.GetValue<string>() == customer) &&
            (invoice is null || o["invoice"]?.GetValue<string>() == invoice) &&
            (pending is null || (o["invoice"] is null) == pending));
        return ListPage.Build(p, items, "/v1/invoiceitems");
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
