using System.Text.Json.Nodes;
using Billing.StripeSandbox.State;
using Billing.StripeSandbox.Wire;

namespace Billing.StripeSandbox.Flows;

/// <summary>The subscription lifecycle: start, renew, retry failed payments, cancel.</summary>
public static class Subscriptions
{
    public sealed record Item(JsonObject Price, long Quantity);

    public static JsonObject Start(SandboxState s, Cause cause, string? account, string customerId, IReadOnlyList<Item> items,
        long? trialEnd, JsonObject metadata, string? description, string? paymentMethodId, JsonObject? transferData,
        double? applicationFeePercent)
    {
        var customer = s.Find(customerId)!;
        var clock = customer["test_clock"]?.GetValue<string>();
        var now = s.NowFor(clock);
        var id = Ids.New("sub_");
        var firstRecurring = items.First(i => i.Price["recurring"] is JsonObject).Price;
        var periodEnd = trialEnd ?? AddInterval(now, firstRecurring);
        var sub = new JsonObject
        {
            ["id"] = id,
            ["object"] = "subscription",
            ["application"] = null,
            ["application_fee_percent"] = applicationFeePercent,
            ["automatic_tax"] = new JsonObject { ["enabled"] = false },
            ["billing_cycle_anchor"] = periodEnd == trialEnd ? trialEnd : now,
            ["billing_thresholds"] = null,
            ["cancel_at"] = null,
            ["cancel_at_period_end"] = false,
            ["canceled_at"] = null,
            ["cancellation_details"] = new JsonObject { ["comment"] = null, ["feedback"] = null, ["reason"] = null },
            ["collection_method"] = "charge_automatically",
            ["created"] = now,
            ["currency"] = firstRecurring["currency"]!.DeepClone(),
            ["customer"] = customerId,
            ["days_until_due"] = null,
            ["default_payment_method"] = paymentMethodId,
            ["default_source"] = null,
            ["default_tax_rates"] = new JsonArray(),
            ["description"] = description,
            ["ended_at"] = null,
            ["items"] = ListPage.Whole(items.Select(i => NewItem(id, i.Price, i.Quantity, now, periodEnd)), $"/v1/subscription_items?subscription={id}"),
            ["latest_invoice"] = null,
            ["livemode"] = false,
            ["metadata"] = metadata,
            ["next_pending_invoice_item_invoice"] = null,
            ["on_behalf_of"] = null,
            ["pause_collection"] = null,
            ["pending_invoice_item_interval"] = null,
            ["pending_setup_intent"] = null,
            ["pending_update"] = null,
            ["schedule"] = null,
            ["start_date"] = now,
            ["status"] = trialEnd is null ? "active" : "trialing",
            ["test_clock"] = clock,
            ["transfer_data"] = transferData,
            ["trial_end"] = trialEnd,
            ["trial_settings"] = new JsonObject
            {
                ["end_behavior"] = new JsonObject { ["missing_payment_method"] = "create_invoice" },
            },
            ["trial_start"] = trialEnd is null ? null : now,
        };
        s.Add(account, sub);
        var invoice = Invoices.CreateForSubscription(s, cause, sub, "subscription_create",
            Invoices.PeriodLines(s, sub, sub["items"]!["data"]!.AsArray(), now, periodEnd, trialEnd is not null), now, periodEnd, now);
        sub["latest_invoice"] = invoice["id"]!.DeepClone();
        s.Emit("customer.subscription.created", sub, cause);
        if (!Invoices.Pay(s, cause, invoice, paymentMethodId, offSession: false, now))
            s.Update(sub, cause, "customer.subscription.updated", o => o["status"] = "incomplete");
        return sub;
    }

    public static JsonObject NewItem(string subscriptionId, JsonObject price, long quantity, long start, long end) => new()
    {
        ["id"] = Ids.New("si_", 14),
        ["object"] = "subscription_item",
        ["billing_thresholds"] = null,
        ["created"] = start,
        ["current_period_end"] = end,
        ["current_period_start"] = start,
        ["metadata"] = new JsonObject(),
        ["price"] = price.DeepClone(),
        ["quantity"] = quantity,
        ["subscription"] = subscriptionId,
        ["tax_rates"] = new JsonArray(),
    };

    public static long AddInterval(long from, JsonObject price)
    {
        var recurring = price["recurring"]!;
        var count = (int)recurring["interval_count"]!.Long();
        var start = DateTimeOffset.FromUnixTimeSeconds(from);
        return (recurring["interval"]!.GetValue<string>() switch
        {
            "day" => start.AddDays(count),
            "week" => start.AddDays(7 * count),
            "month" => start.AddMonths(count),
            _ => start.AddYears(count),
        }).ToUnixTimeSeconds();
    }

    public static long PeriodEnd(JsonObject sub) => sub["items"]!["data"]![0]!["current_period_end"]!.Long();

    public static bool IsLive(JsonObject sub) => sub["status"]!.GetValue<string>() is "active" or "trialing" or "past_due";

    public static string? PaymentMethodOf(SandboxState s, JsonObject sub) =>
        sub["default_payment_method"]?.GetValue<string>()
        ?? s.Find(sub["customer"]!.GetValue<string>())?["invoice_settings"]?["default_payment_method"]?.GetValue<string>();

    /// <summary>The period has ended: cancel if asked to, else start the next period and charge for it.</summary>
    public static void Renew(SandboxState s, JsonObject sub, long now)
    {
        var cause = Cause.Automatic;
        var periodEnd = PeriodEnd(sub);
        if (sub["cancel_at_period_end"]!.GetValue<bool>() || sub["cancel_at"]?.Long() <= periodEnd)
        {
            CancelNow(s, sub, cause, "cancellation_requested", periodEnd);
            return;
        }
        var newEnd = AddInterval(periodEnd, sub["items"]!["data"]![0]!["price"]!.AsObject());
        var wasTrial = sub["status"]!.GetValue<string>() == "trialing";
        var invoice = Invoices.CreateForSubscription(s, cause, sub, "subscription_cycle",
            Invoices.PeriodLines(s, sub, sub["items"]!["data"]!.AsArray(), periodEnd, newEnd, trial: false), periodEnd, newEnd, now);
        s.Update(sub, cause, "customer.subscription.updated", o =>
        {
            foreach (var item in o["items"]!["data"]!.AsArray().OfType<JsonObject>())
            {
                item["current_period_start"] = periodEnd;
                item["current_period_end"] = newEnd;
            }
            o["latest_invoice"] = invoice["id"]!.DeepClone();
            if (wasTrial) o["status"] = "active";
        });
        if (!Invoices.Pay(s, cause, invoice, PaymentMethodOf(s, sub), offSession: true, now))
            s.Update(sub, cause, "customer.subscription.updated", o => o["status"] = "past_due");
        else if (sub["status"]!.GetValue<string>() != "active")
            s.Update(sub, cause, "customer.subscription.updated", o => o["status"] = "active");
    }

    /// <summary>A retry of a failed invoice came due (or the customer fixed the card).</summary>
    public static void Retry(SandboxState s, Cause cause, JsonObject invoice, long now)
    {
        var subId = invoice["parent"]?["subscription_details"]?["subscription"]?.GetValue<string>();
        var sub = subId is null ? null : s.Find(subId);
        if (sub is null || !IsLive(sub)) return;
        if (Invoices.Pay(s, cause, invoice, PaymentMethodOf(s, sub), offSession: true, now))
        {
            if (sub["status"]!.GetValue<string>() != "active")
                s.Update(sub, cause, "customer.subscription.updated", o => o["status"] = "active");
        }
        else if (invoice["next_payment_attempt"] is null)
        {
            CancelNow(s, sub, cause, "payment_failed", now);
        }
    }

    /// <summary>The customer pays an open invoice by hand (hosted invoice page); a past-due subscription recovers.</summary>
    public static bool PayByHand(SandboxState s, Cause cause, JsonObject invoice, string paymentMethodId, long now)
    {
        if (invoice["status"]!.GetValue<string>() != "open")
            throw StripeException.Invalid($"Invoice is {invoice["status"]}; only open invoices can be paid.", null, "invoice_not_open");
        var subId = invoice["parent"]?["subscription_details"]?["subscription"]?.GetValue<string>();
        var sub = subId is null ? null : s.Find(subId);
        if (!Invoices.Pay(s, cause, invoice, paymentMethodId, offSession: false, now)) return false;
        if (sub is not null && sub["status"]!.GetValue<string>() == "past_due")
            s.Update(sub, cause, "customer.subscription.updated", o => o["status"] = "active");
        return true;
    }

    public static void CancelNow(SandboxState s, JsonObject sub, Cause cause, string reason, long? at = null)
    {
        if (sub["status"]!.GetValue<string>() == "canceled") return;
        var now = at ?? s.NowFor(sub["test_clock"]?.GetValue<string>());
        s.Update(sub, cause, null, o =>
        {
            o["status"] = "canceled";
            o["canceled_at"] ??= now;
            o["ended_at"] = now;
            o["cancellation_details"]!["reason"] = reason;
        });
        // Retries stop with the subscription.
        foreach (var invoice in s.All(s.ScopeOf(sub["id"]!.GetValue<string>()), "invoice"))
            if (invoice["parent"]?["subscription_details"]?["subscription"]?.GetValue<string>() == sub["id"]!.GetValue<string>())
                invoice["next_payment_attempt"] = null;
        s.Emit("customer.subscription.deleted", sub, cause);
    }

    public static void SetCancelAtPeriodEnd(SandboxState s, JsonObject sub, Cause cause, bool cancel, string? comment = null, string? feedback = null)
    {
        s.Update(sub, cause, "customer.subscription.updated", o =>
        {
            o["cancel_at_period_end"] = cancel;
            o["cancel_at"] = cancel ? PeriodEnd(o) : null;
            o["canceled_at"] = cancel ? s.NowFor(o["test_clock"]?.GetValue<string>()) : null;
            var details = o["cancellation_details"]!.AsObject();
            details["reason"] = cancel ? "cancellation_requested" : null;
            details["comment"] = cancel ? comment : null;
            details["feedback"] = cancel ? feedback : null;
        });
    }

    /// <summary>
    /// Moves every item to another price (the portal's monthly/yearly switch), prorated as the portal's
    /// default configuration does (<c>create_prorations</c>; a new interval bills now).
    /// </summary>
    public static void SwitchPrice(SandboxState s, JsonObject sub, Cause cause, JsonObject price)
    {
        var items = sub["items"]!["data"]!.AsArray();
        var itemParams = items.Select((item, i) => new Params(new JsonObject { ["id"] = item!["id"]!.DeepClone() }, $"items[{i}]")).ToList();
        var plan = SubscriptionChanges.Compute(s, sub, itemParams, [.. items.Select(_ => (JsonObject?)price)], "create_prorations", null, null,
            "proration_date", s.NowFor(sub["test_clock"]?.GetValue<string>()), "il_");
        SubscriptionChanges.Apply(s, cause, sub, plan, _ => { });
    }
}
