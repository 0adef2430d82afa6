using System.Text.Json.Nodes;
using Billing.StripeSandbox.Wire;

namespace Billing.StripeSandbox.Apis;

public static class ProductsApi
{
    public static void MapProductsApi(this IEndpointRouteBuilder api)
    {
        api.Post("/v1/products", Create);
        api.Get("/v1/products", List);
        api.Get("/v1/products/{id}", c => c.Get("product", c.Route("id"), "product"));
        api.Post("/v1/products/{id}", Update);
        api.Delete("/v1/products/{id}", Delete);
    }

    static JsonNode Create(ApiCall c)
    {
        var p = c.P.Allow("id", "name", "active", "description", "images", "url", "default_price_data",
            "marketing_features", "metadata", "statement_descriptor", "tax_code", "unit_label", "shippable");
        var id = p.NonEmpty("id") ?? State.Ids.New("prod_", 14);
        if (c.State.Find(id) is not null)
            throw StripeException.Invalid($"Product already exists.", "id", "resource_already_exists");
        var product = New(c, id, p.Required("name"), c.Now);
        Apply(product, p);
        c.State.Add(c.Account, product);
        c.State.Emit("product.created", product, c.Cause);
        if (p.Hash("default_price_data") is { } data)
        {
            data.Allow("currency", "unit_amount", "unit_amount_decimal", "recurring", "tax_behavior", "metadata");
            var price = PricesApi.CreatePrice(c, data, id);
            product["default_price"] = price["id"]!.GetValue<string>();
        }
        return product;
    }

    /// <summary>A product as Stripe renders it (also used for inline <c>product_data</c>).</summary>
    public static JsonObject New(ApiCall c, string id, string name, long now) => new()
    {
        ["id"] = id,
        ["object"] = "product",
        ["active"] = true,
        ["created"] = now,
        ["default_price"] = null,
        ["description"] = null,
        ["images"] = new JsonArray(),
        ["livemode"] = false,
        ["marketing_features"] = new JsonArray(),
        ["metadata"] = new JsonObject(),
        ["name"] = name,
        ["package_dimensions"] = null,
        ["shippable"] = null,
        ["statement_descriptor"] = null,
        ["tax_code"] = null,
        ["unit_label"] = null,
        ["updated"] = now,
        ["url"] = null,
    };

    static void Apply(JsonObject product, Params p)
    {
        if (p.NonEmpty("name") is { } name) product["name"] = name;
        if (p.Bool("active") is { } active) product["active"] = active;
        foreach (var field in new[] { "description", "url", "statement_descriptor", "tax_code", "unit_label" })
            if (p.Has(field)) product[field] = p.NonEmpty(field);
        if (p.Has("images")) product["images"] = new JsonArray(p.StrList("images").Select(s => (JsonNode)s).ToArray());
        if (p.Has("marketing_features"))
            product["marketing_features"] = new JsonArray(p.HashList("marketing_features")
                .Select(f => (JsonNode)new JsonObject { ["name"] = f.Required("name") }).ToArray());
        product["metadata"] = Metadata.Apply(product["metadata"]!.AsObject(), p);
    }

    static JsonNode Update(ApiCall c)
    {
        var p = c.P.Allow("name", "active", "description", "images", "url", "default_price", "marketing_features",
            "metadata", "statement_descriptor", "tax_code", "unit_label", "shippable");
        var product = c.Get("product", c.Route("id"), "product");
        c.State.Update(product, c.Cause, "product.updated", obj =>
        {
            Apply(obj, p);
            if (p.NonEmpty("default_price") is { } priceId)
            {
                var price = c.Get("price", priceId, "price", "default_price");
                if (price["product"]!.GetValue<string>() != obj["id"]!.GetValue<string>())
                    throw StripeException.Invalid("The default price must belong to this product.", "default_price");
                obj["default_price"] = priceId;
            }
            obj["updated"] = c.Now;
        });
        return product;
    }

    static JsonNode List(ApiCall c)
    {
        var p = c.P.Allow("limit", "starting_after", "ending_before", "created", "active", "ids", "url", "shippable");
        var active = p.Bool("active");
        var ids = p.StrList("ids");
        var items = c.State.All(c.Account, "product").Where(o =>
            (active is null || o["active"]!.GetValue<bool>() == active) &&
            (ids.Count == 0 || ids.Contains(o["id"]!.GetValue<string>())));
        return ListPage.Build(p, items, "/v1/products");
    }

    static JsonNode Delete(ApiCall c)
    {
        c.P.Allow();
        var product = c.Get("product", c.Route("id"), "product");
        var id = product["id"]!.GetValue<string>();
        if (c.State.All(c.Account, "price").Any(pr => pr["product"]!.GetValue<string>() == id))
            throw StripeException.Invalid("This product cannot be deleted because it has one or more user-created prices.");
        c.State.Remove(id);
        c.State.Emit("product.deleted", product, c.Cause);
        return new JsonObject { ["id"] = id, ["object"] = "product", ["deleted"] = true };
    }
}
