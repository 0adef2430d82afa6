using System.Text.Json.Nodes;
using Billing.StripeSandbox.State;
using Billing.StripeSandbox.Wire;

namespace Billing.StripeSandbox.Flows;

/// <summary>What the hosted billing portal lets a customer do (shared by the page and the test helpers).</summary>
public static class Portal
{
    public static JsonObject Session(SandboxState s, string id) =>
        s.Find(id) is { } o && o["object"]!.GetValue<string>() == "billing_portal.session"
            ? o : throw StripeException.NotFound("billing portal session", id);

    /// <summary>The customer's subscriptions the portal shows (not the ended ones).</summary>
    public static List<JsonObject> Subscriptions(SandboxState s, JsonObject session)
    {
        var customer = session["customer"]!.GetValue<string>();
        return s.All(s.ScopeOf(session["id"]!.GetValue<string>()), "subscription")
            .Where(sub => sub["customer"]!.GetValue<string>() == customer && Flows.Subscriptions.IsLive(sub)).ToList();
    }

    public static JsonObject Subscription(SandboxState s, JsonObject session, string? id) =>
        Subscriptions(s, session).FirstOrDefault(sub => sub["id"]!.GetValue<string>() == id)
        ?? throw StripeException.NotFound("subscription", id ?? "", "subscription");

    public static JsonObject CancelAtPeriodEnd(SandboxState s, Cause cause, JsonObject session, string? subscription)
    {
        var sub = Subscription(s, session, subscription);
        Flows.Subscriptions.SetCancelAtPeriodEnd(s, sub, cause, true);
        return sub;
    }

    public static JsonObject Resume(SandboxState s, Cause cause, JsonObject session, string? subscription)
    {
        var sub = Subscription(s, session, subscription);
        Flows.Subscriptions.SetCancelAtPeriodEnd(s, sub, cause, false);
        return sub;
    }

    /// <summary>Prices a subscription may switch to: other active recurring prices of the same product.</summary>
    public static List<JsonObject> Alternatives(SandboxState s, JsonObject sub)
    {
        var current = sub["items"]!["data"]![0]!["price"]!;
        var product = current["product"]!.GetValue<string>();
        return s.All(s.ScopeOf(sub["id"]!.GetValue<string>()), "price").Where(p =>
            p["product"]!.GetValue<string>() == product && p["active"]!.GetValue<bool>() && p["recurring"] is JsonObject &&
            p["id"]!.GetValue<string>() != current["id"]!.GetValue<string>()).ToList();
    }

    public static JsonObject SwitchPrice(SandboxState s, Cause cause, JsonObject session, string? subscription, string? priceId)
    {
        var sub = Subscription(s, session, subscription);
        var price = Alternatives(s, sub).FirstOrDefault(p => p["id"]!.GetValue<string>() == priceId)
            ?? throw StripeException.Invalid("The price must be another active recurring price of the same product.", "price");
        Flows.Subscriptions.SwitchPrice(s, sub, cause, price);
        return sub;
    }

    /// <summary>New default card for the customer and its subscriptions; a past-due invoice is retried at once.</summary>
    public static JsonObject UpdateCard(SandboxState s, Cause cause, JsonObject session, string card)
    {
        var customerId = session["customer"]!.GetValue<string>();
        var customer = s.Find(customerId)!;
        var account = s.ScopeOf(customerId);
        var now = s.NowForCustomer(customerId);
        var number = TestCards.FromToken(card) ?? TestCards.Normalize(card, "card");
        var pm = PaymentMethods.CreateCard(s, account, number, customer["email"]?.GetValue<string>(), customer["name"]?.GetValue<string>(), now);
        PaymentMethods.Attach(s, account, cause, pm["id"]!.GetValue<string>(), customerId, "card");
        s.Update(customer, cause, "customer.updated", o => o["invoice_settings"]!["default_payment_method"] = pm["id"]!.DeepClone());
        foreach (var sub in Subscriptions(s, session))
        {
            s.Update(sub, cause, "customer.subscription.updated", o => o["default_payment_method"] = pm["id"]!.DeepClone());
            if (sub["status"]!.GetValue<string>() == "past_due")
                foreach (var invoice in s.All(account, "invoice").Where(i => i["status"]!.GetValue<string>() == "open" &&
                             i["parent"]?["subscription_details"]?["subscription"]?.GetValue<string>() == sub["id"]!.GetValue<string>()).ToList())
                    Flows.Subscriptions.Retry(s, cause, invoice, now);
        }
        return pm;
    }
}
