using System.Text.Json.Nodes;
using Billing.StripeSandbox.Apis;
using Billing.StripeSandbox.State;
using Billing.StripeSandbox.Wire;

namespace Billing.StripeSandbox.Flows;

/// <summary>What paying on the hosted checkout page does (shared by the page and the test helper).</summary>
public static class Checkout
{
    /// <param name="card">A card number, a test token such as <c>pm_card_visa</c>, or an existing <c>pm_</c> id.</param>
    public static JsonObject Complete(SandboxState s, Cause cause, JsonObject session, string card, string? email, string? name)
    {
        var sessionId = session["id"]!.GetValue<string>();
        if (session["status"]!.GetValue<string>() != "open")
            throw StripeException.Invalid($"This Checkout Session is no longer open (status: {session["status"]}).", null, "checkout_session_not_open");
        var account = s.ScopeOf(sessionId);
        var mode = session["mode"]!.GetValue<string>();
        var customerId = session["customer"]?.GetValue<string>();
        var clock = customerId is null ? null : s.Find(customerId)?["test_clock"]?.GetValue<string>();
        var now = s.NowFor(clock);
        email ??= session["customer_email"]?.GetValue<string>() ?? (customerId is null ? null : s.Find(customerId)?["email"]?.GetValue<string>());

        var pm = PaymentMethodFor(s, account, card, email, name, now);
        var pmId = pm["id"]!.GetValue<string>();
        var number = s.CardNumbers.GetValueOrDefault(pmId, TestCards.Succeeds);

        // Subscriptions need a card that works before anything is created (Stripe validates it first).
        if (mode != "payment" && TestCards.Charge(number, offSession: false) is { } early)
            throw Declined(early, null);

        if (customerId is null && (mode != "payment" || session["customer_creation"]?.GetValue<string>() == "always"))
        {
            var customer = CustomersApi.NewCustomer(null, now);
            customer["email"] = email;
            customer["name"] = name;
            s.Add(account, customer);
            s.Emit("customer.created", customer, cause);
            customerId = customer["id"]!.GetValue<string>();
        }
        if (customerId is not null) PaymentMethods.Attach(s, account, cause, pmId, customerId, "payment_method");

        var changes = new JsonObject();
        if (mode == "payment")
        {
            var pi = session["payment_intent"]?.GetValue<string>() is { } existing ? s.Find(existing)! : NewIntentFor(s, cause, session, account, customerId, now);
            if (pi["customer"] is null && customerId is not null) pi["customer"] = customerId;
            session["payment_intent"] = pi["id"]!.DeepClone();
            if (Payments.Confirm(s, cause, pi, pmId, offSession: false) is { } decline)
                throw Declined(decline, pi);
            changes["payment_status"] = pi["status"]!.GetValue<string>() == "succeeded" ? "paid" : "unpaid";
        }
        else if (mode == "subscription")
        {
            var data = s.Hidden.GetValueOrDefault(sessionId + ":subscription_data") ?? new JsonObject();
            var items = s.SessionLineItems[sessionId]
                .Where(li => li["price"]!["recurring"] is JsonObject)
                .Select(li => new Subscriptions.Item(s.Find(li["price"]!["id"]!.GetValue<string>())!, li["quantity"]!.Long()))
                .ToList();
            var trialDays = data["trial_period_days"]?.Long()
                ?? items.Select(i => i.Price["recurring"]!["trial_period_days"]?.Long()).FirstOrDefault(d => d is > 0);
            var trialEnd = data["trial_end"]?.Long() ?? (trialDays is > 0 ? s.NowForCustomer(customerId) + trialDays.Value * 86400 : null);
            var sub = Subscriptions.Start(s, cause, account, customerId!, items, trialEnd,
                data["metadata"]?.AsObject().DeepClone().AsObject() ?? new JsonObject(), data["description"]?.GetValue<string>(), pmId,
                data["transfer_data"]?.DeepClone().AsObject(), data["application_fee_percent"]?.GetValue<double>());
            changes["subscription"] = sub["id"]!.DeepClone();
            changes["invoice"] = sub["latest_invoice"]!.DeepClone();
            changes["payment_status"] = sub["status"]!.GetValue<string>() == "trialing" ? "no_payment_required" : "paid";
        }
        else
        {
            changes["payment_status"] = "no_payment_required";
        }

        s.Update(session, cause, null, o =>
        {
            foreach (var (key, value) in changes) o[key] = value?.DeepClone();
            o["status"] = "complete";
            o["url"] = null;
            o["customer"] = customerId;
            o["customer_details"] = new JsonObject
            {
                ["address"] = null, ["email"] = email, ["name"] = name, ["phone"] = null,
                ["tax_exempt"] = "none", ["tax_ids"] = new JsonArray(),
            };
        });
        s.Emit("checkout.session.completed", session, cause);
        return session;
    }

    static JsonObject PaymentMethodFor(SandboxState s, string? account, string card, string? email, string? name, long now)
    {
        if (TestCards.FromToken(card) is { } token) return PaymentMethods.CreateCard(s, account, token, email, name, now);
        if (card.StartsWith("pm_", StringComparison.Ordinal)) return s.Get(account, "payment_method", card, "PaymentMethod", "payment_method");
        return PaymentMethods.CreateCard(s, account, TestCards.Normalize(card, "card"), email, name, now);
    }

    static JsonObject NewIntentFor(SandboxState s, Cause cause, JsonObject session, string? account, string? customerId, long now)
    {
        var data = s.Hidden.GetValueOrDefault(session["id"]!.GetValue<string>() + ":payment_intent_data") ?? new JsonObject();
        var pi = Payments.CreateIntent(s, account, cause, session["amount_total"]!.Long(), session["currency"]!.GetValue<string>(),
            customerId, data["capture_method"]?.GetValue<string>() ?? "automatic",
            data["metadata"]?.DeepClone().AsObject() ?? new JsonObject(), data["description"]?.GetValue<string>(), now);
        pi["application_fee_amount"] = data["application_fee_amount"]?.DeepClone();
        pi["transfer_data"] = data["transfer_data"]?.DeepClone();
        pi["transfer_group"] = data["transfer_group"]?.DeepClone();
        pi["on_behalf_of"] = data["on_behalf_of"]?.DeepClone();
        pi["setup_future_usage"] = data["setup_future_usage"]?.DeepClone();
        return pi;
    }

    static StripeException Declined(TestCards.Decline decline, JsonObject? paymentIntent)
    {
        var e = StripeException.Card(decline.Message, decline.Code, decline.DeclineCode);
        if (paymentIntent is not null) e.Extra["payment_intent"] = paymentIntent.DeepClone();
        return e;
    }

    public static void Expire(SandboxState s, Cause cause, JsonObject session)
    {
        if (session["status"]!.GetValue<string>() != "open")
            throw StripeException.Invalid(
                $"Only Checkout Sessions with a status in [\"open\"] can be expired. This Checkout Session has a status of \"{session["status"]}\".",
                null, "checkout_session_not_open");
        if (session["payment_intent"]?.GetValue<string>() is { } piId && s.Find(piId) is { } pi &&
            pi["status"]!.GetValue<string>() == "requires_payment_method")
            Payments.Cancel(s, cause, pi, "abandoned");
        s.Update(session, cause, null, o =>
        {
            o["status"] = "expired";
            o["url"] = null;
        });
        s.Emit("checkout.session.expired", session, cause);
    }
}
