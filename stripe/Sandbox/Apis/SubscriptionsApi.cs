using Billing.StripeSandbox.State;
using System.Text.Json.Nodes;
using Billing.StripeSandbox.Flows;
using Billing.StripeSandbox.Wire;

namespace Billing.StripeSandbox.Apis;

public static class SubscriptionsApi
{
    public static void MapSubscriptionsApi(this IEndpointRouteBuilder api)
    {
        api.Get("/v1/subscriptions", List);
        api.Get("/v1/subscriptions/{id}", c => Find(c));
        api.Post("/v1/subscriptions/{id}", Update);
        api.Delete("/v1/subscriptions/{id}", Cancel);
    }

    static JsonObject Find(ApiCall c) => c.Get("subscription", c.Route("id"), "subscription");

    static JsonNode Update(ApiCall c)
    {
        var p = c.P.Allow("cancel_at_period_end", "cancel_at", "cancellation_details", "items", "proration_behavior",
            "payment_behavior", "trial_end", "pause_collection", "default_payment_method", "metadata", "description",
            "proration_date", "billing_cycle_anchor");
        var behavior = p.Enum("proration_behavior", "create_prorations", "always_invoice", "none");
        var anchor = SubscriptionChanges.Anchor(p);
        p.Enum("payment_behavior", "allow_incomplete", "default_incomplete", "error_if_incomplete", "pending_if_incomplete");
        var sub = Find(c);
        if (sub["status"]!.GetValue<string>() is "canceled" or "incomplete_expired")
            throw StripeException.Invalid("A canceled subscription can only update its cancellation_details and metadata.", null);
        var details = p.Hash("cancellation_details")?.Allow("comment", "feedback");
        var feedback = details?.Enum("feedback", "customer_service", "low_quality", "missing_features", "other", "switched_service",
            "too_complex", "too_expensive", "unused");
        if (p.Bool("cancel_at_period_end") is { } atEnd)
            Subscriptions.SetCancelAtPeriodEnd(c.State, sub, c.Cause, atEnd, details?.NonEmpty("comment"), feedback);
        var now = c.State.NowFor(sub["test_clock"]?.GetValue<string>());
        var itemParams = p.HashList("items");
        var prices = itemParams.Select(i => i.NonEmpty("price") is { } pid ? c.Get("price", pid, "price", i.Name("price")) : null).ToList();
        string? pm = null;
        if (p.NonEmpty("default_payment_method") is { } pmId)
            pm = PaymentMethods.Attach(c.State, c.Account, c.Cause, pmId, sub["customer"]!.GetValue<string>(), "default_payment_method")["id"]!.GetValue<string>();

        var plan = itemParams.Count > 0 || anchor == "now"
            ? SubscriptionChanges.Compute(c.State, sub, itemParams, prices, behavior, p.Long("proration_date"), anchor, "proration_date", now, "il_")
            : null;

        SubscriptionChanges.Apply(c.State, c.Cause, sub, plan, o =>
        {
            if (p.Has("cancel_at"))
            {
                var at = p.Long("cancel_at");
                if (at is not null && at <= now) throw StripeException.Invalid("cancel_at must be in the future.", "cancel_at");
                o["cancel_at"] = at;
                o["cancel_at_period_end"] = at is not null && at == Subscriptions.PeriodEnd(o);
            }
            if (details is not null && p.Bool("cancel_at_period_end") is null)
            {
                o["cancellation_details"]!["comment"] = details.NonEmpty("comment");
                o["cancellation_details"]!["feedback"] = feedback;
            }
            if (p.Has("description")) o["description"] = p.NonEmpty("description");
            if (pm is not null) o["default_payment_method"] = pm;
            o["metadata"] = Metadata.Apply(o["metadata"]!.AsObject(), p);
        });
        if (p.Str("trial_end") == "now" && sub["status"]!.GetValue<string>() == "trialing")
        {
            // Ending a trial now starts the first paid period at once.
            foreach (var item in sub["items"]!["data"]!.AsArray().OfType<JsonObject>()) item["current_period_end"] = now;
            sub["trial_end"] = now;
            Subscriptions.Renew(c.State, sub, now);
        }
        else if (p.Has("trial_end") && p.Str("trial_end") != "now")
        {
            var end = p.Long("trial_end") ?? throw StripeException.Missing("trial_end");
            if (sub["status"]!.GetValue<string>() != "trialing" || end <= now)
                throw StripeException.Invalid("trial_end must be in the future and the subscription must be trialing.", "trial_end");
            c.State.Update(sub, c.Cause, "customer.subscription.updated", o =>
            {
                o["trial_end"] = end;
                foreach (var item in o["items"]!["data"]!.AsArray().OfType<JsonObject>()) item["current_period_end"] = end;
            });
        }
        return sub;
    }

    static JsonNode Cancel(ApiCall c)
    {
        var p = c.P.Allow("invoice_now", "prorate", "cancellation_details");
        var sub = Find(c);
        if (sub["status"]!.GetValue<string>() == "canceled")
            throw StripeException.Invalid($"No such subscription: '{sub["id"]}' is already canceled.", null, "resource_missing");
        if (p.Hash("cancellation_details")?.Allow("comment", "feedback") is { } details)
        {
            sub["cancellation_details"]!["comment"] = details.NonEmpty("comment");
            sub["cancellation_details"]!["feedback"] = details.NonEmpty("feedback");
        }
        Subscriptions.CancelNow(c.State, sub, c.Cause, "cancellation_requested");
        return sub;
    }

    static JsonNode List(ApiCall c)
    {
        var p = c.P.Allow("limit", "starting_after", "ending_before", "created", "customer", "price", "status", "test_clock");
        var customer = p.NonEmpty("customer");
        var price = p.NonEmpty("price");
        var status = p.Enum("status", "active", "all", "canceled", "ended", "incomplete", "incomplete_expired", "past_due", "paused", "trialing", "unpaid");
        var clock = p.NonEmpty("test_clock");
        var items = c.State.All(c.Account, "subscription").Where(o =>
            (customer is null || o["customer"]!.GetValue<string>() == customer) &&
            (price is null || o["items"]!["data"]!.AsArray().Any(i => i!["price"]!["id"]!.GetValue<string>() == price)) &&
            (clock is null || o["test_clock"]?.GetValue<string>() == clock) &&
            StatusMatches(o["status"]!.GetValue<string>(), status));
        return ListPage.Build(p, items, "/v1/subscriptions");
    }

    // Stripe's default list leaves out canceled subscriptions; "all" and "ended" opt in.
    static bool StatusMatches(string actual, string? wanted) => wanted switch
    {
        null => actual != "canceled",
        "all" => true,
        "ended" => actual is "canceled" or "incomplete_expired",
        _ => actual == wanted,
    };
}
