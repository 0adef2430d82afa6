using System.Text.Json.Nodes;
using Billing.StripeSandbox.State;
using Billing.StripeSandbox.Wire;

namespace Billing.StripeSandbox.Flows;

/// <summary>Card payment methods: created from a test card number or token, attached to customers.</summary>
public static class PaymentMethods
{
    public static JsonObject CreateCard(SandboxState s, string? account, string number, string? email, string? name, long now)
    {
        var pm = new JsonObject
        {
            ["id"] = Ids.New("pm_"),
            ["object"] = "payment_method",
            ["billing_details"] = new JsonObject
            {
                ["address"] = null, ["email"] = email, ["name"] = name, ["phone"] = null,
            },
            ["card"] = new JsonObject
            {
                ["brand"] = TestCards.Brand(number),
                ["checks"] = new JsonObject { ["address_line1_check"] = null, ["address_postal_code_check"] = null, ["cvc_check"] = "pass" },
                ["country"] = "US",
                ["exp_month"] = 12,
                ["exp_year"] = DateTimeOffset.FromUnixTimeSeconds(now).Year + 5,
                ["fingerprint"] = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(number)))[..16],
                ["funding"] = "credit",
                ["last4"] = number[^4..],
                ["networks"] = new JsonObject { ["available"] = new JsonArray(TestCards.Brand(number)), ["preferred"] = null },
                ["three_d_secure_usage"] = new JsonObject { ["supported"] = true },
                ["wallet"] = null,
            },
            ["created"] = now,
            ["customer"] = null,
            ["livemode"] = false,
            ["metadata"] = new JsonObject(),
            ["type"] = "card",
        };
        s.CardNumbers[pm["id"]!.GetValue<string>()] = number;
        return s.Add(account, pm);
    }

    /// <summary>Attaches a payment method (or a test token such as <c>pm_card_visa</c>) to a customer.</summary>
    public static JsonObject Attach(SandboxState s, string? account, Cause cause, string idOrToken, string customerId, string param)
    {
        JsonObject pm;
        if (TestCards.FromToken(idOrToken) is { } number)
            pm = CreateCard(s, account, number, null, null, s.NowForCustomer(customerId));
        else
            pm = s.Get(account, "payment_method", idOrToken, "PaymentMethod", param);
        if (pm["customer"]?.GetValue<string>() is { } owner && owner != customerId)
            throw StripeException.Invalid("This PaymentMethod is already attached to another customer.", param);
        if (pm["customer"] is null)
        {
            pm["customer"] = customerId;
            s.Emit("payment_method.attached", pm, cause);
        }
        return pm;
    }
}
