using System.Globalization;
using System.Text.Json.Nodes;
using Billing.StripeSandbox.State;
using Billing.StripeSandbox.Wire;

namespace Billing.StripeSandbox.Flows;

/// <summary>
/// Item changes (price, quantity, added, deleted) and billing-cycle resets, with Stripe's prorations.
/// One computation (<see cref="Compute"/>, which changes nothing) serves both the invoice preview
/// and the update itself, so a preview with the same params and <c>proration_date</c> is what the
/// update then bills.
/// </summary>
public static class SubscriptionChanges
{
    /// <summary>What a change does, computed on copies.</summary>
    public sealed record Plan(
        JsonArray Items,
        string Behavior,
        bool CycleReset,
        bool Trialing,
        long Now,
        long NewPeriodEnd,
        List<JsonObject> Prorations)
    {
        /// <summary>An invoice now: <c>always_invoice</c> with something to bill, or a new billing cycle starting now.</summary>
        public bool InvoiceNow => CycleReset || (Behavior == "always_invoice" && Prorations.Count > 0);
    }

    /// <param name="prices">The price each item param names (null where it names none), already looked up.</param>
    /// <param name="linePrefix">Id prefix of the proration lines (previews use temporary ids).</param>
    public static Plan Compute(SandboxState s, JsonObject sub, List<Params> itemParams, List<JsonObject?> prices,
        string? behavior, long? prorationDate, string? anchor, string prorationDateParam, long now, string linePrefix)
    {
        behavior ??= "create_prorations";
        var oldItems = sub["items"]!["data"]!.AsArray();
        var items = (JsonArray)oldItems.DeepClone();
        ApplyItemParams(sub, items, itemParams, prices, now);

        var trialing = sub["status"]!.GetValue<string>() == "trialing";
        var first = oldItems[0]!;
        var periodStart = first["current_period_start"]!.Long();
        var periodEnd = first["current_period_end"]!.Long();
        // A new interval cannot keep the old cycle: Stripe bills from now on the new one.
        var cycleReset = !trialing && (anchor == "now" || IntervalOf(first["price"]!) != IntervalOf(items[0]!["price"]!));
        var date = prorationDate ?? now;
        if (prorationDate is not null && (date < periodStart || date > periodEnd))
            throw StripeException.Invalid("proration_date must be within the subscription's current billing period.", prorationDateParam);

        var newEnd = cycleReset ? Subscriptions.AddInterval(now, items[0]!["price"]!.AsObject()) : periodEnd;
        if (cycleReset)
            foreach (var item in items.OfType<JsonObject>())
            {
                item["current_period_start"] = now;
                item["current_period_end"] = newEnd;
            }

        var lines = new List<JsonObject>();
        // Trial time is free, so there is nothing to credit or charge for it.
        if (behavior != "none" && !trialing && periodEnd > periodStart)
        {
            foreach (var old in oldItems.OfType<JsonObject>())
            {
                var current = Find(items, old["id"]!.GetValue<string>());
                if (cycleReset || current is null || !SameBilling(old, current))
                    lines.Add(ProrationLine(s, sub, old, -1, date, periodStart, periodEnd, linePrefix));
            }
            // After a reset the new prices are billed for a whole new period instead (regular lines).
            if (!cycleReset)
                foreach (var item in items.OfType<JsonObject>())
                {
                    var old = Find(oldItems, item["id"]!.GetValue<string>());
                    if (old is null || !SameBilling(old, item))
                        lines.Add(ProrationLine(s, sub, item, +1, date, periodStart, periodEnd, linePrefix));
                }
        }
        return new Plan(items, behavior, cycleReset, trialing, now, newEnd, lines);
    }

    /// <summary>
    /// <c>billing_cycle_anchor</c> of an existing subscription: <c>now</c> or <c>unchanged</c>, sent as a
    /// string (older versions) or as the current hash <c>billing_cycle_anchor[type]</c> (Stripe.net 53).
    /// </summary>
    public static string? Anchor(Params p)
    {
        if (p.Root["billing_cycle_anchor"] is not JsonObject || p.Hash("billing_cycle_anchor") is not { } hash)
            return p.Enum("billing_cycle_anchor", "now", "unchanged");
        hash.Allow("type", "timestamp");
        if (hash.Has("timestamp"))
            throw StripeException.Invalid("An existing subscription's billing cycle anchor can only be set to now or unchanged.", hash.Name("timestamp"));
        return hash.Enum("type", "now", "unchanged") ?? throw StripeException.Missing(hash.Name("type"));
    }

    /// <summary>
    /// Updates the subscription (<paramref name="otherChanges"/> and the plan's items and cycle), bills
    /// the change, then emits one <c>customer.subscription.updated</c> covering the fields, the items and
    /// the invoice it made, and charges that invoice.
    /// </summary>
    public static void Apply(SandboxState s, Cause cause, JsonObject sub, Plan? plan, Action<JsonObject> otherChanges)
    {
        var before = (JsonObject)sub.DeepClone();
        otherChanges(sub);
        if (plan is not null)
        {
            sub["items"]!["data"] = plan.Items.DeepClone();
            if (plan.CycleReset) sub["billing_cycle_anchor"] = plan.Now;
        }
        var invoice = plan is null ? null : Bill(s, cause, sub, plan);
        s.EmitChanges(sub, before, cause, "customer.subscription.updated");
        if (invoice is not null) Collect(s, cause, sub, invoice);
    }

    /// <summary>
    /// After the items changed: an invoice now (returned, finalized, not yet paid), or the prorations
    /// left as pending invoice items for the next invoice (<c>create_prorations</c>).
    /// </summary>
    static JsonObject? Bill(SandboxState s, Cause cause, JsonObject sub, Plan plan)
    {
        if (plan.InvoiceNow)
        {
            var lines = Lines(s, sub, plan, "il_");
            var (start, end) = Span(lines, plan.Now);
            var invoice = Invoices.CreateForSubscription(s, cause, sub, "subscription_update", lines, start, end, plan.Now);
            sub["latest_invoice"] = invoice["id"]!.DeepClone();
            return invoice;
        }
        if (plan.Behavior == "create_prorations")
            foreach (var line in plan.Prorations) InvoiceItems.CreatePending(s, cause, sub, line, plan.Now);
        return null;
    }

    /// <summary>Charges an invoice made by <see cref="Bill"/>; a failed payment makes the subscription past due (as a failed renewal does).</summary>
    static void Collect(SandboxState s, Cause cause, JsonObject sub, JsonObject invoice)
    {
        if (!Invoices.Pay(s, cause, invoice, Subscriptions.PaymentMethodOf(s, sub), offSession: true, invoice["created"]!.Long()))
            s.Update(sub, cause, "customer.subscription.updated", o => o["status"] = "past_due");
    }

    /// <summary>
    /// The invoice a change would make now, or else the subscription's next invoice (renewal with the
    /// pending items and this change's prorations) — what <c>/v1/invoices/create_preview</c> shows.
    /// </summary>
    public static JsonObject Preview(SandboxState s, JsonObject sub, Plan? plan)
    {
        var id = Ids.New("upcoming_in_");
        var pending = InvoiceItems.Lines(s, InvoiceItems.Pending(s, sub), "il_tmp_").ToList();
        if (plan is { InvoiceNow: true })
        {
            var lines = pending.Concat(Lines(s, sub, plan, "il_tmp_")).ToList();
            var (start, end) = Span(lines, plan.Now);
            return Invoices.Build(s, sub, id, "subscription_update", lines, start, end, plan.Now);
        }
        var periodEnd = Subscriptions.PeriodEnd(sub);
        if (!Subscriptions.IsLive(sub) || sub["cancel_at_period_end"]!.GetValue<bool>() || sub["cancel_at"]?.Long() <= periodEnd)
            throw new StripeException(404, "invalid_request_error",
                $"No upcoming invoices for customer: {sub["customer"]}", "invoice_upcoming_none");
        var items = plan?.Items ?? sub["items"]!["data"]!.AsArray();
        var newEnd = Subscriptions.AddInterval(periodEnd, items[0]!["price"]!.AsObject());
        var renewal = pending
            .Concat(plan is { Behavior: "create_prorations" } ? plan.Prorations : [])
            .Concat(Invoices.PeriodLines(s, sub, items, periodEnd, newEnd, trial: false, "il_tmp_"))
            .ToList();
        return Invoices.Build(s, sub, id, "upcoming", renewal, periodEnd, newEnd, periodEnd);
    }

    /// <summary>The lines of an invoice made now: prorations, then the new period after a reset.</summary>
    static List<JsonObject> Lines(SandboxState s, JsonObject sub, Plan plan, string prefix)
    {
        var lines = plan.Prorations.Select(l =>
        {
            var copy = (JsonObject)l.DeepClone();
            copy["id"] = Ids.New(prefix);
            return copy;
        }).ToList();
        if (plan.CycleReset) lines.AddRange(Invoices.PeriodLines(s, sub, plan.Items, plan.Now, plan.NewPeriodEnd, trial: false, prefix));
        return lines;
    }

    static (long Start, long End) Span(List<JsonObject> lines, long now) => lines.Count == 0
        ? (now, now)
        : (lines.Min(l => l["period"]!["start"]!.Long()), lines.Max(l => l["period"]!["end"]!.Long()));

    /// <summary>
    /// Credit (<paramref name="sign"/> -1) for the unused time of an item or charge (+1) for the
    /// remaining time, to the second, rounded per line to the nearest cent (half away from zero).
    /// </summary>
    static JsonObject ProrationLine(SandboxState s, JsonObject sub, JsonObject item, int sign, long date, long start, long end, string prefix)
    {
        var price = item["price"]!.AsObject();
        var quantity = item["quantity"]!.Long();
        var full = (decimal)price["unit_amount"]!.Long() * quantity;
        var amount = sign * (long)Math.Round(full * (end - date) / (end - start), MidpointRounding.AwayFromZero);
        var what = quantity == 1 ? Invoices.ProductName(s, price) : $"{quantity} × {Invoices.ProductName(s, price)}";
        var on = DateTimeOffset.FromUnixTimeSeconds(date).ToString("d MMM yyyy", CultureInfo.InvariantCulture);
        var itemId = item["id"]!.GetValue<string>();
        return Invoices.Line(sub, itemId, price, quantity, amount, date, end,
            $"{(sign < 0 ? "Unused" : "Remaining")} time on {what} after {on}", prefix, proration: true,
            credited: sign < 0 ? CreditedItems(s, sub, itemId) : null);
    }

    /// <summary>The last invoice line that billed the item's period: what a credit proration gives back.</summary>
    static JsonObject? CreditedItems(SandboxState s, JsonObject sub, string itemId)
    {
        var subId = sub["id"]!.GetValue<string>();
        foreach (var invoice in s.All(s.ScopeOf(subId), "invoice").Reverse())
        {
            if (invoice["parent"]?["subscription_details"]?["subscription"]?.GetValue<string>() != subId) continue;
            var line = invoice["lines"]!["data"]!.AsArray().OfType<JsonObject>().FirstOrDefault(l =>
                l["proration"]!.GetValue<bool>() == false &&
                l["parent"]?["subscription_item_details"]?["subscription_item"]?.GetValue<string>() == itemId);
            if (line is not null)
                return new JsonObject { ["invoice"] = invoice["id"]!.DeepClone(), ["invoice_line_items"] = new JsonArray(line["id"]!.DeepClone()) };
        }
        return null;
    }

    static string IntervalOf(JsonNode price) =>
        $"{price["recurring"]!["interval"]!.GetValue<string>()}/{price["recurring"]!["interval_count"]!.Long()}";

    static bool SameBilling(JsonNode a, JsonNode b) =>
        a["price"]!["id"]!.GetValue<string>() == b["price"]!["id"]!.GetValue<string>() && a["quantity"]!.Long() == b["quantity"]!.Long();

    static JsonObject? Find(JsonArray items, string id) =>
        items.OfType<JsonObject>().FirstOrDefault(x => x["id"]!.GetValue<string>() == id);

    /// <summary><c>items[N][id|price|quantity|deleted|metadata]</c> applied to a copy of the items.</summary>
    static void ApplyItemParams(JsonObject sub, JsonArray list, List<Params> itemParams, List<JsonObject?> prices, long now)
    {
        for (var i = 0; i < itemParams.Count; i++)
        {
            var ip = itemParams[i].Allow("id", "price", "quantity", "deleted", "metadata", "price_data", "tax_rates");
            var existing = ip.NonEmpty("id") is { } itemId
                ? Find(list, itemId) ?? throw StripeException.NotFound("subscription item", itemId, ip.Name("id"))
                : null;
            if (ip.Bool("deleted") == true)
            {
                if (existing is null) throw StripeException.Missing(ip.Name("id"));
                list.Remove(existing);
                continue;
            }
            var quantity = ip.Long("quantity");
            if (quantity is < 0) throw StripeException.Invalid("Invalid quantity: must be at least 0", ip.Name("quantity"));
            if (prices[i] is { } p && p["recurring"] is not JsonObject)
                throw StripeException.Invalid($"The price specified ({p["id"]}) is not a recurring price.", ip.Name("price"));
            if (prices[i] is { } q && q["currency"]!.GetValue<string>() != sub["currency"]!.GetValue<string>())
                throw StripeException.Invalid("The price's currency must match the subscription's currency.", ip.Name("price"));
            if (existing is null)
            {
                var price = prices[i] ?? throw StripeException.Missing(ip.Name("price"));
                var first = list.OfType<JsonObject>().FirstOrDefault() ?? sub["items"]!["data"]![0]!.AsObject();
                var item = Subscriptions.NewItem(sub["id"]!.GetValue<string>(), price, quantity ?? 1, now, first["current_period_end"]!.Long());
                item["current_period_start"] = first["current_period_start"]!.DeepClone();
                list.Add(item);
            }
            else
            {
                if (prices[i] is { } price) existing["price"] = price.DeepClone();
                if (quantity is not null) existing["quantity"] = quantity;
                existing["metadata"] = Metadata.Apply(existing["metadata"]!.AsObject(), ip);
            }
        }
        if (list.Count == 0) throw StripeException.Invalid("A subscription must have at least one active item.", "items");
    }
}
