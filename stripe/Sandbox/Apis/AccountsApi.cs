using System.Text.Json.Nodes;
using Billing.StripeSandbox.Flows;
using Billing.StripeSandbox.State;
using Billing.StripeSandbox.Wire;

namespace Billing.StripeSandbox.Apis;

/// <summary>Connect: accounts (owned by the platform) and onboarding links.</summary>
public static class AccountsApi
{
    public static void MapAccountsApi(this IEndpointRouteBuilder api)
    {
        api.Post("/v1/accounts", Create);
        api.Get("/v1/accounts", c =>
        {
            var p = c.P.Allow("limit", "starting_after", "ending_before", "created");
            return ListPage.Build(p, c.State.All(null, "account"), "/v1/accounts");
        });
        api.Get("/v1/accounts/{id}", c => Find(c, c.Route("id")));
        api.Get("/v1/account", c => c.Account is null ? Platform(c) : Find(c, c.Account));
        api.Post("/v1/accounts/{id}", c =>
        {
            var p = c.P.Allow("email", "metadata", "business_profile", "default_currency");
            var account = Find(c, c.Route("id"));
            c.State.Update(account, c.Cause, "account.updated", o =>
            {
                if (p.Has("email")) o["email"] = p.NonEmpty("email");
                if (p.NonEmpty("default_currency") is { } cur) o["default_currency"] = cur.ToLowerInvariant();
                o["metadata"] = Metadata.Apply(o["metadata"]!.AsObject(), p);
            });
            return account;
        });
        api.Post("/v1/account_links", CreateLink);
    }

    // A connected account may read itself with its own Stripe-Account header.
    static JsonObject Find(ApiCall c, string id) =>
        c.Account is null || c.Account == id ? c.State.Get(null, "account", id, "account", "account")
        : throw StripeException.NotFound("account", id, "account");

    /// <summary>The platform's own account (<c>GET /v1/account</c> without <c>Stripe-Account</c>).</summary>
    static JsonObject Platform(ApiCall c)
    {
        if (c.State.Hidden.TryGetValue(PlatformAccountId, out var existing)) return existing;
        var platform = NewAccount(PlatformAccountId, "standard", "US", null, new JsonObject { ["card_payments"] = "active", ["transfers"] = "active" }, c.Now);
        platform["charges_enabled"] = true;
        platform["payouts_enabled"] = true;
        platform["details_submitted"] = true;
        platform["requirements"] = Connect.Requirements([]);
        platform["business_profile"]!["name"] = "Billing Sandbox";
        // Kept out of the account lists: it is the caller itself, not a connected account.
        c.State.Hidden[PlatformAccountId] = platform;
        return platform;
    }

    public const string PlatformAccountId = "acct_sandboxplatform";

    static JsonNode Create(ApiCall c)
    {
        var p = c.P.Allow("type", "controller", "country", "email", "business_type", "capabilities", "metadata",
            "default_currency", "business_profile", "tos_acceptance", "settings");
        if (c.Account is not null) throw StripeException.Invalid("Connected accounts cannot create accounts.");
        var type = p.Enum("type", "express", "standard", "custom");
        var controller = p.Hash("controller");
        var dashboard = controller?.Hash("stripe_dashboard")?.Enum("type", "express", "full", "none");
        if (type is not null && controller is not null)
            throw StripeException.Invalid("You cannot specify both `type` and `controller`.", "controller");
        type ??= dashboard switch { "full" => "standard", "none" => "custom", "express" => "express", _ => controller is null ? "standard" : "none" };
        var capabilities = new JsonObject();
        if (p.Hash("capabilities") is { } caps)
            foreach (var (name, _) in caps.Root)
                if (caps.Hash(name)?.Bool("requested") == true) capabilities[name] = "inactive";
        if (capabilities.Count == 0 && type is "express" or "custom") capabilities["transfers"] = "inactive";
        var account = NewAccount(Ids.New("acct_", 16), type, p.NonEmpty("country") ?? "US", p.NonEmpty("email"), capabilities, c.Now);
        account["business_type"] = p.Enum("business_type", "company", "government_entity", "individual", "non_profit");
        if (p.NonEmpty("default_currency") is { } currency) account["default_currency"] = currency.ToLowerInvariant();
        account["metadata"] = Metadata.From(p);
        return c.State.Add(null, account);
    }

    static JsonObject NewAccount(string id, string type, string country, string? email, JsonObject capabilities, long now) => new()
    {
        ["id"] = id,
        ["object"] = "account",
        ["business_profile"] = new JsonObject
        {
            ["mcc"] = null, ["name"] = null, ["product_description"] = null, ["support_address"] = null,
            ["support_email"] = null, ["support_phone"] = null, ["support_url"] = null, ["url"] = null,
        },
        ["business_type"] = null,
        ["capabilities"] = capabilities,
        ["charges_enabled"] = false,
        ["controller"] = new JsonObject
        {
            ["fees"] = new JsonObject { ["payer"] = type == "standard" ? "account" : "application" },
            ["is_controller"] = true,
            ["losses"] = new JsonObject { ["payments"] = type == "standard" ? "stripe" : "application" },
            ["requirement_collection"] = type == "custom" ? "application" : "stripe",
            ["stripe_dashboard"] = new JsonObject { ["type"] = type switch { "standard" => "full", "custom" => "none", _ => "express" } },
            ["type"] = "application",
        },
        ["country"] = country,
        ["created"] = now,
        ["default_currency"] = "usd",
        ["details_submitted"] = false,
        ["email"] = email,
        ["external_accounts"] = ListPage.Whole([], $"/v1/accounts/{id}/external_accounts"),
        ["future_requirements"] = Connect.Requirements([]),
        ["metadata"] = new JsonObject(),
        ["payouts_enabled"] = false,
        ["requirements"] = Connect.Requirements(["business_type", "external_account", "individual.first_name", "individual.last_name", "tos_acceptance.date"]),
        ["settings"] = null,
        ["tos_acceptance"] = new JsonObject { ["date"] = null, ["ip"] = null, ["user_agent"] = null },
        ["type"] = type,
    };

    static JsonNode CreateLink(ApiCall c)
    {
        var p = c.P.Allow("account", "type", "refresh_url", "return_url", "collect", "collection_options");
        var accountId = p.Required("account");
        c.State.Get(null, "account", accountId, "account", "account");
        // Both link types open the same hosted page here.
        _ = p.Enum("type", "account_onboarding", "account_update") ?? throw StripeException.Missing("type");
        var token = Ids.New("", 32);
        var now = c.Now;
        c.State.AccountLinks[token] = new AccountLinkTicket
        {
            Account = accountId, RefreshUrl = p.NonEmpty("refresh_url"), ReturnUrl = p.NonEmpty("return_url"), ExpiresAt = now + 300,
        };
        return new JsonObject
        {
            ["object"] = "account_link",
            ["created"] = now,
            ["expires_at"] = now + 300,
            ["url"] = $"{c.BaseUrl}/connect/onboarding/{token}",
        };
    }
}
