using Billing.StripeSandbox.State;
using System.Text.Json.Nodes;
using Billing.StripeSandbox.Flows;
using Billing.StripeSandbox.Wire;

namespace Billing.StripeSandbox.Apis;

public static class CheckoutApi
{
    public static void MapCheckoutApi(this IEndpointRouteBuilder api)
    {
        api.Post("/v1/checkout/sessions", Create);
        api.Get("/v1/checkout/sessions", List);
        api.Get("/v1/checkout/sessions/{id}", c => c.Get("checkout.session", c.Route("id"), "checkout.session"));
        api.Post("/v1/checkout/sessions/{id}/expire", Expire);
        api.Get("/v1/checkout/sessions/{id}/line_items", LineItems);
    }

    static JsonNode Create(ApiCall c)
    {
        var p = c.P.Allow("mode", "line_items", "success_url", "cancel_url", "customer", "customer_email", "customer_creation",
            "client_reference_id", "metadata", "subscription_data", "payment_intent_data", "expires_at", "allow_promotion_codes",
            "discounts", "automatic_tax", "locale", "payment_method_types", "ui_mode", "return_url", "billing_address_collection",
            "payment_method_collection", "submit_type", "currency");
        var lineParams = p.HashList("line_items");
        var mode = p.Enum("mode", "payment", "setup", "subscription");
        var customerId = p.NonEmpty("customer");
        if (customerId is not null) c.Get("customer", customerId, "customer", "customer");
        var now = c.NowForCustomer(customerId);

        var sessionId = State.Ids.New("cs_test_", 58);
        var items = lineParams.Select(li => LineItem(c, li)).ToList();
        mode ??= items.Any(i => i["price"]!["recurring"] is JsonObject) ? "subscription" : "payment";
        if (mode != "setup" && items.Count == 0) throw StripeException.Missing("line_items");
        if (mode == "payment" && items.Any(i => i["price"]!["recurring"] is JsonObject))
            throw StripeException.Invalid("You must be in `subscription` mode to specify a recurring price.", "line_items");
        if (mode == "subscription" && !items.Any(i => i["price"]!["recurring"] is JsonObject))
            throw StripeException.Invalid("You must specify at least one recurring price in `subscription` mode when using prices.", "line_items");
        if (items.Select(i => i["currency"]!.GetValue<string>()).Distinct().Count() > 1)
            throw StripeException.Invalid("All line items must use the same currency.", "line_items");
        if (mode != "payment" && p.Has("payment_intent_data"))
            throw StripeException.Invalid("You can only specify `payment_intent_data` in `payment` mode.", "payment_intent_data");
        if (mode != "subscription" && p.Has("subscription_data"))
            throw StripeException.Invalid("You can only specify `subscription_data` in `subscription` mode.", "subscription_data");

        var successUrl = Url(p, "success_url");
        var cancelUrl = Url(p, "cancel_url");
        var expiresAt = p.Long("expires_at") ?? now + 86400;
        if (expiresAt < now + 1800 - 5 || expiresAt > now + 86400)
            throw StripeException.Invalid("The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.", "expires_at");
        var customerCreation = p.Enum("customer_creation", "always", "if_required");
        if (customerCreation is not null && customerId is not null)
            throw StripeException.Invalid("`customer_creation` can only be used when no `customer` is set.", "customer_creation");
        if (p.NonEmpty("client_reference_id") is { Length: > 200 })
            throw StripeException.Invalid("client_reference_id must be at most 200 characters.", "client_reference_id");

        foreach (var li in items) li["id"] = State.Ids.New("li_");
        var subtotal = items.Sum(i => i["amount_subtotal"]!.Long());
        SaveIntentData(c, p, sessionId);
        SaveSubscriptionData(c, p, sessionId);

        var session = new JsonObject
        {
            ["id"] = sessionId,
            ["object"] = "checkout.session",
            ["after_expiration"] = null,
            ["allow_promotion_codes"] = p.Bool("allow_promotion_codes"),
            ["amount_subtotal"] = items.Count == 0 ? null : subtotal,
            ["amount_total"] = items.Count == 0 ? null : subtotal,
            ["automatic_tax"] = new JsonObject { ["enabled"] = false, ["status"] = null },
            ["billing_address_collection"] = null,
            ["cancel_url"] = cancelUrl,
            ["client_reference_id"] = p.NonEmpty("client_reference_id"),
            ["consent"] = null,
            ["consent_collection"] = null,
            ["created"] = now,
            ["currency"] = items.FirstOrDefault()?["currency"]?.DeepClone() ?? p.NonEmpty("currency"),
            ["custom_fields"] = new JsonArray(),
            ["custom_text"] = new JsonObject
            {
                ["shipping_address"] = null, ["submit"] = null,
            },
            ["customer"] = customerId,
            ["customer_creation"] = customerId is null ? customerCreation ?? "if_required" : null,
            ["customer_details"] = null,
            ["customer_email"] = p.NonEmpty("customer_email"),
            ["expires_at"] = expiresAt,
            ["invoice"] = null,
            ["invoice_creation"] = null,
            ["livemode"] = false,
            ["locale"] = p.NonEmpty("locale"),
            ["metadata"] = Metadata.From(p),
            ["mode"] = mode,
            ["payment_intent"] = null,
            ["payment_link"] = null,
            ["payment_method_collection"] = "always",
            ["payment_method_options"] = new JsonObject(),
            ["payment_method_types"] = new JsonArray("card"),
            ["payment_status"] = "unpaid",
            ["phone_number_collection"] = new JsonObject { ["enabled"] = false },
            ["recovered_from"] = null,
            ["setup_intent"] = null,
            ["shipping_address_collection"] = null,
            ["shipping_cost"] = null,
            ["shipping_details"] = null,
            ["shipping_options"] = new JsonArray(),
            ["status"] = "open",
            ["submit_type"] = null,
            ["subscription"] = null,
            ["success_url"] = successUrl,
            ["total_details"] = new JsonObject { ["amount_discount"] = 0, ["amount_shipping"] = 0, ["amount_tax"] = 0 },
            ["ui_mode"] = p.Enum("ui_mode", "hosted", "hosted_page") ?? "hosted_page",
            ["url"] = $"{c.BaseUrl}/checkout/{sessionId}",
        };
        c.State.SessionLineItems[sessionId] = items;
        return c.State.Add(c.Account, session);
    }

    static string? Url(Params p, string key)
    {
        var url = p.NonEmpty(key);
        if (url is null) return null;
        if (url.Length > 5000 || !Uri.TryCreate(url.Replace("{CHECKOUT_SESSION_ID}", "x"), UriKind.Absolute, out var uri) ||
            (uri.Scheme != "http" && uri.Scheme != "https"))
            throw StripeException.Invalid("Not a valid URL", key, "url_invalid");
        return url;
    }

    static JsonObject LineItem(ApiCall c, Params li)
    {
        li.Allow("price", "price_data", "quantity", "adjustable_quantity", "tax_rates");
        JsonObject price;
        if (li.NonEmpty("price") is { } priceId) price = c.Get("price", priceId, "price", li.Name("price"));
        else if (li.Hash("price_data") is { } data)
        {
            data.Allow("currency", "unit_amount", "unit_amount_decimal", "product", "product_data", "recurring", "tax_behavior");
            string productId;
            if (data.NonEmpty("product") is { } pid) productId = c.Get("product", pid, "product", data.Name("product"))["id"]!.GetValue<string>();
            else if (data.Hash("product_data") is { } pd)
            {
                var product = ProductsApi.New(c, State.Ids.New("prod_", 14), pd.Required("name"), c.Now);
                product["active"] = false;
                c.State.Add(c.Account, product);
                productId = product["id"]!.GetValue<string>();
            }
            else throw StripeException.Missing(data.Name("product"));
            var priceParams = new Params(new JsonObject(data.Root.Where(kv => kv.Key is not ("product" or "product_data"))
                .Select(kv => KeyValuePair.Create(kv.Key, kv.Value?.DeepClone()))), data.Name(""));
            price = PricesApi.CreatePrice(c, priceParams, productId);
            price["active"] = false;
        }
        else throw StripeException.Missing(li.Name("price"));
        if (!price["active"]!.GetValue<bool>() && li.NonEmpty("price") is not null)
            throw StripeException.Invalid($"The price specified is inactive. This field only accepts active prices.", li.Name("price"));
        var quantity = li.Long("quantity") ?? throw StripeException.Missing(li.Name("quantity"));
        if (quantity < 1) throw StripeException.Invalid("Quantity must be at least 1.", li.Name("quantity"));
        var amount = price["unit_amount"]!.Long() * quantity;
        var productName = c.State.Find(price["product"]!.GetValue<string>())?["name"]?.GetValue<string>() ?? "";
        return new JsonObject
        {
            ["id"] = null,
            ["object"] = "item",
            ["amount_discount"] = 0,
            ["amount_subtotal"] = amount,
            ["amount_tax"] = 0,
            ["amount_total"] = amount,
            ["currency"] = price["currency"]!.DeepClone(),
            ["description"] = productName,
            ["price"] = price.DeepClone(),
            ["quantity"] = quantity,
        };
    }

    static void SaveIntentData(ApiCall c, Params p, string sessionId)
    {
        if (p.Hash("payment_intent_data") is not { } data) return;
        data.Allow("capture_method", "metadata", "description", "transfer_data", "application_fee_amount", "on_behalf_of",
            "setup_future_usage", "transfer_group", "statement_descriptor", "receipt_email");
        var saved = new JsonObject
        {
            ["capture_method"] = data.Enum("capture_method", "automatic", "automatic_async", "manual"),
            ["metadata"] = Metadata.From(data),
            ["description"] = data.NonEmpty("description"),
            ["application_fee_amount"] = data.Long("application_fee_amount"),
            ["transfer_group"] = data.NonEmpty("transfer_group"),
            ["setup_future_usage"] = data.Enum("setup_future_usage", "on_session", "off_session"),
        };
        if (data.NonEmpty("on_behalf_of") is { } obo) saved["on_behalf_of"] = c.State.Get(null, "account", obo, "account", data.Name("on_behalf_of"))["id"]!.DeepClone();
        if (data.Hash("transfer_data") is { } transfer)
        {
            transfer.Allow("destination", "amount");
            var destination = transfer.Required("destination");
            c.State.Get(null, "account", destination, "account", transfer.Name("destination"));
            saved["transfer_data"] = new JsonObject { ["destination"] = destination };
            if (transfer.Long("amount") is { } amount) saved["transfer_data"]!["amount"] = amount;
        }
        if (saved["application_fee_amount"] is not null && saved["transfer_data"] is null && c.Account is null)
            throw StripeException.Invalid("Can only apply an application_fee_amount when the PaymentIntent is attempting a direct payment (using an OAuth key or Stripe-Account header) or destination payment (using `transfer_data[destination]`).",
                data.Name("application_fee_amount"));
        c.State.Hidden[sessionId + ":payment_intent_data"] = saved;
    }

    static void SaveSubscriptionData(ApiCall c, Params p, string sessionId)
    {
        if (p.Hash("subscription_data") is not { } data) return;
        data.Allow("trial_period_days", "trial_end", "trial_settings", "metadata", "description", "application_fee_percent",
            "transfer_data", "on_behalf_of", "billing_cycle_anchor", "proration_behavior", "default_tax_rates");
        var trial = data.Long("trial_period_days");
        if (trial is < 1 or > 730) throw StripeException.Invalid("trial_period_days must be between 1 and 730.", data.Name("trial_period_days"));
        var trialEnd = data.Long("trial_end");
        if (trialEnd is not null && trial is not null)
            throw StripeException.Invalid("You may only specify one of trial_end and trial_period_days.", data.Name("trial_end"));
        if (trialEnd is not null && trialEnd < c.NowForCustomer(p.NonEmpty("customer")) + 2 * 86400)
            throw StripeException.Invalid("trial_end must be at least 48 hours in the future.", data.Name("trial_end"));
        var saved = new JsonObject
        {
            ["trial_period_days"] = trial,
            ["trial_end"] = trialEnd,
            ["metadata"] = Metadata.From(data),
            ["description"] = data.NonEmpty("description"),
        };
        if (data.NonEmpty("application_fee_percent") is { } fee)
            saved["application_fee_percent"] = double.TryParse(fee, System.Globalization.CultureInfo.InvariantCulture, out var f) && f is >= 0 and <= 100
                ? f : throw StripeException.Invalid("Invalid decimal", data.Name("application_fee_percent"));
        if (data.Hash("transfer_data") is { } transfer)
        {
            transfer.Allow("destination", "amount_percent");
            var destination = transfer.Required("destination");
            c.State.Get(null, "account", destination, "account", transfer.Name("destination"));
            saved["transfer_data"] = new JsonObject { ["amount_percent"] = null, ["destination"] = destination };
        }
        c.State.Hidden[sessionId + ":subscription_data"] = saved;
    }

    static JsonNode List(ApiCall c)
    {
        var p = c.P.Allow("limit", "starting_after", "ending_before", "created", "customer", "status", "subscription",
            "payment_intent", "customer_details", "payment_link");
        var customer = p.NonEmpty("customer");
        var status = p.Enum("status", "open", "complete", "expired");
        var subscription = p.NonEmpty("subscription");
        var pi = p.NonEmpty("payment_intent");
        var email = p.Hash("customer_details")?.Allow("email").NonEmpty("email");
        var items = c.State.All(c.Account, "checkout.session").Where(o =>
            (customer is null || o["customer"]?.GetValue<string>() == customer) &&
            (status is null || o["status"]!.GetValue<string>() == status) &&
            (subscription is null || o["subscription"]?.GetValue<string>() == subscription) &&
            (pi is null || o["payment_intent"]?.GetValue<string>() == pi) &&
            (email is null || o["customer_details"]?["email"]?.GetValue<string>() == email));
        return ListPage.Build(p, items, "/v1/checkout/sessions");
    }

    static JsonNode Expire(ApiCall c)
    {
        c.P.Allow();
        var session = c.Get("checkout.session", c.Route("id"), "checkout.session", "session");
        Checkout.Expire(c.State, c.Cause, session);
        return session;
    }

    static JsonNode LineItems(ApiCall c)
    {
        var p = c.P.Allow("limit", "starting_after", "ending_before");
        var session = c.Get("checkout.session", c.Route("id"), "checkout.session", "session");
        var id = session["id"]!.GetValue<string>();
        return ListPage.Build(p, Enumerable.Reverse(c.State.SessionLineItems[id]), $"/v1/checkout/sessions/{id}/line_items");
    }
}
