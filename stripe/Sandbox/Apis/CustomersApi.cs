using System.Text.Json.Nodes;
using Billing.StripeSandbox.Flows;
using Billing.StripeSandbox.Wire;

namespace Billing.StripeSandbox.Apis;

public static class CustomersApi
{
    static readonly string[] Editable =
        ["email", "name", "phone", "description", "address", "payment_method", "invoice_settings", "tax_exempt", "metadata"];

    public static void MapCustomersApi(this IEndpointRouteBuilder api)
    {
        api.Post("/v1/customers", Create);
        api.Get("/v1/customers", List);
        api.Get("/v1/customers/{id}", Retrieve);
        api.Post("/v1/customers/{id}", Update);
        api.Delete("/v1/customers/{id}", Delete);
    }

    static JsonNode Create(ApiCall c)
    {
        var p = c.P.Allow([.. Editable, "test_clock"]);
        var clock = p.NonEmpty("test_clock");
        if (clock is not null) c.Get("test_helpers.test_clock", clock, "test clock", "test_clock");
        var now = c.State.NowFor(clock);
        var customer = NewCustomer(clock, now);
        Apply(c, customer, p);
        c.State.Add(c.Account, customer);
        c.State.Emit("customer.created", customer, c.Cause);
        return customer;
    }

    /// <summary>A customer as Stripe renders it (also created by checkout).</summary>
    public static JsonObject NewCustomer(string? clock, long now) => new()
        {
            ["id"] = State.Ids.New("cus_", 14),
            ["object"] = "customer",
            ["address"] = null,
            ["balance"] = 0,
            ["created"] = now,
            ["currency"] = null,
            ["default_source"] = null,
            ["delinquent"] = false,
            ["description"] = null,
            ["discount"] = null,
            ["email"] = null,
            ["invoice_prefix"] = State.Ids.New("", 8).ToUpperInvariant(),
            ["invoice_settings"] = new JsonObject
            {
                ["custom_fields"] = null, ["default_payment_method"] = null, ["footer"] = null, ["rendering_options"] = null,
            },
            ["livemode"] = false,
            ["metadata"] = new JsonObject(),
            ["name"] = null,
            ["next_invoice_sequence"] = 1,
            ["phone"] = null,
            ["preferred_locales"] = new JsonArray(),
            ["shipping"] = null,
            ["tax_exempt"] = "none",
            ["test_clock"] = clock,
        };

    // Stripe still answers for a deleted customer, with the deleted stub.
    static JsonNode Retrieve(ApiCall c)
    {
        c.P.Allow();
        var id = c.Route("id");
        if (c.State.Hidden.TryGetValue(id + ":deleted", out var stub) && stub["scope"]?.GetValue<string>() == c.Account)
            return new JsonObject { ["id"] = id, ["object"] = "customer", ["deleted"] = true };
        return c.Get("customer", id, "customer");
    }

    static JsonNode Update(ApiCall c)
    {
        var p = c.P.Allow(Editable);
        var customer = c.Get("customer", c.Route("id"), "customer");
        c.State.Update(customer, c.Cause, "customer.updated", obj => Apply(c, obj, p));
        return customer;
    }

    static void Apply(ApiCall c, JsonObject customer, Params p)
    {
        foreach (var field in new[] { "email", "name", "phone", "description" })
            if (p.Has(field)) customer[field] = p.NonEmpty(field);
        if (p.Enum("tax_exempt", "none", "exempt", "reverse") is { } tax) customer["tax_exempt"] = tax;
        if (p.Hash("address") is { } address)
        {
            address.Allow("city", "country", "line1", "line2", "postal_code", "state");
            customer["address"] = new JsonObject
            {
                ["city"] = address.NonEmpty("city"), ["country"] = address.NonEmpty("country"),
                ["line1"] = address.NonEmpty("line1"), ["line2"] = address.NonEmpty("line2"),
                ["postal_code"] = address.NonEmpty("postal_code"), ["state"] = address.NonEmpty("state"),
            };
        }
        customer["metadata"] = Metadata.Apply(customer["metadata"]!.AsObject(), p);
        var id = customer["id"]!.GetValue<string>();
        if (p.NonEmpty("payment_method") is { } pm)
            PaymentMethods.Attach(c.State, c.Account, c.Cause, pm, id, "payment_method");
        if (p.Hash("invoice_settings") is { } settings)
        {
            settings.Allow("default_payment_method", "custom_fields", "footer", "rendering_options");
            if (settings.NonEmpty("default_payment_method") is { } dpm)
            {
                var method = PaymentMethods.Attach(c.State, c.Account, c.Cause, dpm, id, settings.Name("default_payment_method"));
                customer["invoice_settings"]!["default_payment_method"] = method["id"]!.GetValue<string>();
            }
        }
    }

    static JsonNode List(ApiCall c)
    {
        var p = c.P.Allow("limit", "starting_after", "ending_before", "created", "email", "test_clock");
        var email = p.NonEmpty("email");
        var clock = p.NonEmpty("test_clock");
        var items = c.State.All(c.Account, "customer").Where(o =>
            (email is null || o["email"]?.GetValue<string>() == email) &&
            (clock is null || o["test_clock"]?.GetValue<string>() == clock));
        return ListPage.Build(p, items, "/v1/customers");
    }

    static JsonNode Delete(ApiCall c)
    {
        c.P.Allow();
        var customer = c.Get("customer", c.Route("id"), "customer");
        var id = customer["id"]!.GetValue<string>();
        foreach (var sub in c.State.All(c.Account, "subscription").Where(s => s["customer"]!.GetValue<string>() == id).ToList())
            Subscriptions.CancelNow(c.State, sub, c.Cause, "cancellation_requested");
        c.State.Remove(id);
        c.State.Hidden[id + ":deleted"] = new JsonObject { ["scope"] = c.Account };
        c.State.Emit("customer.deleted", customer, c.Cause);
        return new JsonObject { ["id"] = id, ["object"] = "customer", ["deleted"] = true };
    }
}
