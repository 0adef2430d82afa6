using System.Text.Json.Nodes;
using Billing.StripeSandbox.Wire;

namespace Billing.StripeSandbox.Apis;

public static class PricesApi
{
    public static void MapPricesApi(this IEndpointRouteBuilder api)
    {
        api.Post("/v1/prices", Create);
        api.Get("/v1/prices", List);
        api.Get("/v1/prices/{id}", c => c.Get("price", c.Route("id"), "price"));
        api.Post("/v1/prices/{id}", Update);
    }

    static JsonNode Create(ApiCall c)
    {
        var p = c.P.Allow("currency", "product", "product_data", "unit_amount", "unit_amount_decimal", "recurring",
            "lookup_key", "transfer_lookup_key", "nickname", "tax_behavior", "billing_scheme", "metadata", "active");
        string productId;
        if (p.NonEmpty("product") is { } existing) productId = c.Get("product", existing, "product", "product")["id"]!.GetValue<string>();
        else if (p.Hash("product_data") is { } data)
        {
            data.Allow("name", "active", "metadata", "statement_descriptor", "tax_code", "unit_label", "id");
            var product = ProductsApi.New(c, data.NonEmpty("id") ?? State.Ids.New("prod_", 14), data.Required("name"), c.Now);
            product["metadata"] = Metadata.From(data);
            c.State.Add(c.Account, product);
            c.State.Emit("product.created", product, c.Cause);
            productId = product["id"]!.GetValue<string>();
        }
        else throw StripeException.Missing("product");
        return CreatePrice(c, p, productId);
    }

    /// <summary>Creates a price from price params (also used by <c>default_price_data</c> and <c>price_data</c>).</summary>
    public static JsonObject CreatePrice(ApiCall c, Params p, string productId)
    {
        var currency = p.Required("currency").ToLowerInvariant();
        if (currency.Length != 3) throw StripeException.Invalid($"Invalid currency: {currency}", p.Name("currency"));
        var amount = p.Long("unit_amount");
        if (amount is null && p.NonEmpty("unit_amount_decimal") is { } dec)
            amount = decimal.TryParse(dec, System.Globalization.CultureInfo.InvariantCulture, out var d) ? (long)d
                : throw StripeException.Invalid("Invalid decimal", p.Name("unit_amount_decimal"));
        if (amount is null) throw StripeException.Missing(p.Name("unit_amount"));
        if (amount < 0) throw StripeException.Invalid("This value must be greater than or equal to 0.", p.Name("unit_amount"));
        JsonObject? recurring = null;
        if (p.Hash("recurring") is { } r)
        {
            r.Allow("interval", "interval_count", "usage_type", "meter", "trial_period_days");
            var interval = r.Enum("interval", "day", "week", "month", "year") ?? throw StripeException.Missing(r.Name("interval"));
            var count = r.Long("interval_count") ?? 1;
            var max = interval switch { "day" => 1095, "week" => 156, "month" => 36, _ => 3 };
            if (count < 1 || count > max)
                throw StripeException.Invalid("The maximum billing interval is three years.", r.Name("interval_count"));
            recurring = new JsonObject
            {
                ["interval"] = interval,
                ["interval_count"] = count,
                ["meter"] = r.NonEmpty("meter"),
                ["trial_period_days"] = r.Long("trial_period_days"),
                ["usage_type"] = r.Enum("usage_type", "licensed", "metered") ?? "licensed",
            };
        }
        var price = new JsonObject
        {
            ["id"] = State.Ids.New("price_"),
            ["object"] = "price",
            ["active"] = p.Bool("active") ?? true,
            ["billing_scheme"] = p.Enum("billing_scheme", "per_unit") ?? "per_unit",
            ["created"] = c.Now,
            ["currency"] = currency,
            ["custom_unit_amount"] = null,
            ["livemode"] = false,
            ["lookup_key"] = null,
            ["metadata"] = Metadata.From(p),
            ["nickname"] = p.NonEmpty("nickname"),
            ["product"] = productId,
            ["recurring"] = recurring,
            ["tax_behavior"] = p.Enum("tax_behavior", "exclusive", "inclusive", "unspecified") ?? "unspecified",
            ["tiers_mode"] = null,
            ["transform_quantity"] = null,
            ["type"] = recurring is null ? "one_time" : "recurring",
            ["unit_amount"] = amount,
            ["unit_amount_decimal"] = amount.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        SetLookupKey(c, price, p);
        c.State.Add(c.Account, price);
        c.State.Emit("price.created", price, c.Cause);
        return price;
    }

    static void SetLookupKey(ApiCall c, JsonObject price, Params p)
    {
        if (!p.Has("lookup_key")) return;
        var key = p.NonEmpty("lookup_key");
        if (key is { Length: > 200 }) throw StripeException.Invalid("lookup_key must be at most 200 characters.", "lookup_key");
        if (key is not null && c.State.All(c.Account, "price").FirstOrDefault(o => o["lookup_key"]?.GetValue<string>() == key && o != price) is { } holder)
        {
            if (p.Bool("transfer_lookup_key") != true)
                throw StripeException.Invalid(
                    $"A price (`{holder["id"]}`) already uses that lookup key. Pass `transfer_lookup_key=true` to move it.",
                    "lookup_key", "lookup_key_already_exists");
            c.State.Update(holder, c.Cause, "price.updated", o => o["lookup_key"] = null);
        }
        price["lookup_key"] = key;
    }

    static JsonNode Update(ApiCall c)
    {
        var p = c.P.Allow("active", "lookup_key", "transfer_lookup_key", "nickname", "metadata", "tax_behavior", "currency_options");
        var price = c.Get("price", c.Route("id"), "price");
        c.State.Update(price, c.Cause, "price.updated", obj =>
        {
            if (p.Bool("active") is { } active) obj["active"] = active;
            if (p.Has("nickname")) obj["nickname"] = p.NonEmpty("nickname");
            if (p.Enum("tax_behavior", "exclusive", "inclusive", "unspecified") is { } tax) obj["tax_behavior"] = tax;
            obj["metadata"] = Metadata.Apply(obj["metadata"]!.AsObject(), p);
            SetLookupKey(c, obj, p);
        });
        return price;
    }

    static JsonNode List(ApiCall c)
    {
        var p = c.P.Allow("limit", "starting_after", "ending_before", "created", "active", "currency", "product", "type",
            "lookup_keys", "recurring");
        var active = p.Bool("active");
        var currency = p.NonEmpty("currency");
        var product = p.NonEmpty("product");
        var type = p.Enum("type", "one_time", "recurring");
        var keys = p.StrList("lookup_keys");
        if (keys.Count > 10) throw StripeException.Invalid("lookup_keys can hold at most 10 keys.", "lookup_keys");
        var recurring = p.Hash("recurring")?.Allow("interval", "usage_type", "meter");
        var interval = recurring?.NonEmpty("interval");
        var usage = recurring?.NonEmpty("usage_type");
        var items = c.State.All(c.Account, "price").Where(o =>
            (active is null || o["active"]!.GetValue<bool>() == active) &&
            (currency is null || o["currency"]!.GetValue<string>() == currency) &&
            (product is null || o["product"]!.GetValue<string>() == product) &&
            (type is null || o["type"]!.GetValue<string>() == type) &&
            (keys.Count == 0 || keys.Contains(o["lookup_key"]?.GetValue<string>() ?? "\0")) &&
            (interval is null || o["recurring"]?["interval"]?.GetValue<string>() == interval) &&
            (usage is null || o["recurring"]?["usage_type"]?.GetValue<string>() == usage));
        return ListPage.Build(p, items, "/v1/prices");
    }
}
