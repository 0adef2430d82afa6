using System.Text.Json.Nodes;
using Billing.StripeSandbox.State;
using Billing.StripeSandbox.Wire;

namespace Billing.StripeSandbox.Flows;

/// <summary>Subscription invoices: created, finalized at once, then paid by card or failed and retried.</summary>
public static class Invoices
{
    /// <summary>Days after a failed attempt until the next one; after the last, the subscription is canceled.</summary>
    public static readonly int[] RetryDelayDays = [3, 5, 7];

    /// <summary>Lines billing every item of a subscription for one period (zero during a trial).</summary>
    public static List<JsonObject> PeriodLines(SandboxState s, JsonObject sub, JsonArray items, long start, long end, bool trial,
        string idPrefix = "il_")
    {
        var lines = new List<JsonObject>();
        foreach (var item in items.OfType<JsonObject>())
        {
            var price = item["price"]!.AsObject();
            var quantity = item["quantity"]!.Long();
            var productName = ProductName(s, price);
            lines.Add(Line(sub, item["id"]!.GetValue<string>(), price, quantity, trial ? 0 : price["unit_amount"]!.Long() * quantity,
                start, end, trial ? $"Trial period for {productName}" : $"{quantity} × {productName}", idPrefix));
        }
        return lines;
    }

    public static string ProductName(SandboxState s, JsonObject price) =>
        s.Find(price["product"]!.GetValue<string>())?["name"]?.GetValue<string>() ?? "Subscription";

    /// <summary>
    /// An invoice line of a subscription item in the current shape (<c>parent.subscription_item_details</c>);
    /// proration lines come from invoice items and say which earlier lines a credit gives back.
    /// </summary>
    public static JsonObject Line(JsonObject sub, string itemId, JsonObject price, long quantity, long amount, long start, long end,
        string description, string idPrefix = "il_", bool proration = false, string? invoiceItem = null, JsonObject? credited = null) => new()
    {
        ["id"] = Ids.New(idPrefix),
        ["object"] = "line_item",
        ["amount"] = amount,
        ["currency"] = sub["currency"]!.DeepClone(),
        ["description"] = description,
        ["discount_amounts"] = new JsonArray(),
        ["discountable"] = !proration,
        ["discounts"] = new JsonArray(),
        ["livemode"] = false,
        ["metadata"] = new JsonObject(),
        ["parent"] = new JsonObject
        {
            ["type"] = "subscription_item_details",
            ["invoice_item_details"] = null,
            ["subscription_item_details"] = new JsonObject
            {
                ["invoice_item"] = invoiceItem,
                ["proration"] = proration,
                ["proration_details"] = proration ? new JsonObject { ["credited_items"] = credited?.DeepClone() } : null,
                ["subscription"] = sub["id"]!.DeepClone(),
                ["subscription_item"] = itemId,
            },
        },
        ["period"] = new JsonObject { ["end"] = end, ["start"] = start },
        ["price"] = price.DeepClone(),
        ["pricing"] = new JsonObject
        {
            ["type"] = "price_details",
            ["price_details"] = new JsonObject { ["price"] = price["id"]!.DeepClone(), ["product"] = price["product"]!.DeepClone() },
            ["unit_amount_decimal"] = price["unit_amount_decimal"]?.DeepClone(),
        },
        ["proration"] = proration,
        ["proration_details"] = proration ? new JsonObject { ["credited_items"] = credited?.DeepClone() } : null,
        ["quantity"] = quantity,
        ["type"] = invoiceItem is null && !proration ? "subscription" : "invoiceitem",
    };

    /// <summary>
    /// A subscription invoice not yet stored: the lines, and the customer's balance applied as Stripe
    /// does (a credit lowers <c>amount_due</c>, never below zero). Previews are this with another id.
    /// </summary>
    public static JsonObject Build(SandboxState s, JsonObject sub, string? id, string reason, List<JsonObject> lines,
        long periodStart, long periodEnd, long created)
    {
        var customerId = sub["customer"]!.GetValue<string>();
        var customer = s.Find(customerId);
        var currency = sub["currency"]!.GetValue<string>();
        var total = lines.Sum(l => l["amount"]!.Long());
        var startingBalance = customer?["balance"]?.Long() ?? 0;
        var amountDue = Math.Max(0, total + startingBalance);
        var url = id is null ? "/v1/invoices/upcoming/lines" : $"/v1/invoices/{id}/lines";
        return new JsonObject
        {
            ["id"] = id,
            ["object"] = "invoice",
            ["account_country"] = "US",
            ["account_name"] = "Billing Sandbox",
            ["amount_due"] = amountDue,
            ["amount_paid"] = 0,
            ["amount_remaining"] = amountDue,
            ["amount_shipping"] = 0,
            ["application"] = null,
            ["attempt_count"] = 0,
            ["attempted"] = false,
            ["auto_advance"] = true,
            ["automatic_tax"] = new JsonObject { ["enabled"] = false, ["status"] = null },
            ["billing_reason"] = reason,
            ["collection_method"] = "charge_automatically",
            ["created"] = created,
            ["currency"] = currency,
            ["customer"] = customerId,
            ["customer_email"] = customer?["email"]?.DeepClone(),
            ["customer_name"] = customer?["name"]?.DeepClone(),
            ["default_payment_method"] = null,
            ["default_tax_rates"] = new JsonArray(),
            ["description"] = null,
            ["discounts"] = new JsonArray(),
            ["due_date"] = null,
            ["effective_at"] = null,
            ["ending_balance"] = null,
            ["hosted_invoice_url"] = null,
            ["invoice_pdf"] = null,
            ["lines"] = ListPage.Whole(lines, url),
            ["livemode"] = false,
            ["metadata"] = new JsonObject(),
            ["next_payment_attempt"] = null,
            ["number"] = null,
            ["paid"] = false,
            ["paid_out_of_band"] = false,
            ["parent"] = new JsonObject
            {
                ["type"] = "subscription_details",
                ["quote_details"] = null,
                ["subscription_details"] = new JsonObject
                {
                    ["metadata"] = sub["metadata"]!.DeepClone(),
                    ["subscription"] = sub["id"]!.DeepClone(),
                },
            },
            ["payment_settings"] = new JsonObject
            {
                ["default_mandate"] = null, ["payment_method_options"] = null, ["payment_method_types"] = null,
            },
            ["payments"] = ListPage.Whole([], id is null ? "/v1/invoice_payments" : $"/v1/invoice_payments?invoice={id}"),
            ["period_end"] = periodEnd,
            ["period_start"] = periodStart,
            ["post_payment_credit_notes_amount"] = 0,
            ["pre_payment_credit_notes_amount"] = 0,
            ["starting_balance"] = startingBalance,
            ["status"] = "draft",
            ["status_transitions"] = new JsonObject
            {
                ["finalized_at"] = null, ["marked_uncollectible_at"] = null, ["paid_at"] = null, ["voided_at"] = null,
            },
            ["subtotal"] = total,
            ["test_clock"] = sub["test_clock"]?.DeepClone(),
            ["total"] = total,
            ["total_tax_amounts"] = new JsonArray(),
            ["webhooks_delivered_at"] = null,
        };
    }

    /// <summary>
    /// Creates and finalizes a subscription invoice holding <paramref name="lines"/> and every pending
    /// invoice item of the subscription (prorations waiting for the next invoice). Finalizing moves
    /// the customer's balance: a credit is used up, a negative total becomes credit.
    /// </summary>
    public static JsonObject CreateForSubscription(SandboxState s, Cause cause, JsonObject sub, string reason,
        List<JsonObject> lines, long periodStart, long periodEnd, long now)
    {
        var id = Ids.New("in_");
        var pending = InvoiceItems.Pending(s, sub);
        var all = InvoiceItems.Lines(s, pending, "il_").Concat(lines).ToList();
        var invoice = Build(s, sub, id, reason, all, periodStart, periodEnd, now);
        s.Add(s.ScopeOf(sub["id"]!.GetValue<string>()), invoice);
        InvoiceItems.AttachTo(s, cause, pending, id);
        s.Emit("invoice.created", invoice, cause);
        var customer = s.Find(sub["customer"]!.GetValue<string>());
        var net = invoice["total"]!.Long() + invoice["starting_balance"]!.Long();
        s.Update(invoice, cause, "invoice.finalized", o =>
        {
            var number = customer?["next_invoice_sequence"]?.Long() ?? 1;
            if (customer is not null) customer["next_invoice_sequence"] = number + 1;
            o["status"] = "open";
            o["number"] = $"{customer?["invoice_prefix"]?.GetValue<string>() ?? "SANDBOX"}-{number:0000}";
            o["effective_at"] = now;
            o["ending_balance"] = Math.Min(0, net);
            o["status_transitions"]!["finalized_at"] = now;
            o["hosted_invoice_url"] = s.PublicBaseUrl is { } baseUrl ? $"{baseUrl}/invoices/{id}" : null;
        });
        if (customer is not null)
            s.Update(customer, cause, "customer.updated", o => o["balance"] = Math.Min(0, net));
        return invoice;
    }

    /// <summary>One payment attempt. True when the invoice ends up paid.</summary>
    public static bool Pay(SandboxState s, Cause cause, JsonObject invoice, string? paymentMethodId, bool offSession, long now)
    {
        var amount = invoice["amount_due"]!.Long();
        if (amount == 0)
        {
            MarkPaid(s, cause, invoice, now);
            return true;
        }
        var customer = invoice["customer"]!.GetValue<string>();
        var account = s.ScopeOf(invoice["id"]!.GetValue<string>());
        var payment = invoice["payments"]!["data"]!.AsArray().OfType<JsonObject>().FirstOrDefault();
        var pi = payment is not null ? s.Find(payment["payment"]!["payment_intent"]!.GetValue<string>())! : null;
        if (pi is null)
        {
            pi = Payments.CreateIntent(s, account, cause, amount, invoice["currency"]!.GetValue<string>(), customer, "automatic",
                new JsonObject(), invoice["billing_reason"]!.GetValue<string>() == "subscription_create" ? "Subscription creation" : "Subscription update", now);
            payment = new JsonObject
            {
                ["id"] = Ids.New("inpay_"),
                ["object"] = "invoice_payment",
                ["amount_paid"] = null,
                ["amount_requested"] = amount,
                ["created"] = now,
                ["currency"] = invoice["currency"]!.DeepClone(),
                ["invoice"] = invoice["id"]!.DeepClone(),
                ["is_default"] = true,
                ["livemode"] = false,
                ["payment"] = new JsonObject { ["type"] = "payment_intent", ["payment_intent"] = pi["id"]!.DeepClone() },
                ["status"] = "open",
                ["status_transitions"] = new JsonObject { ["canceled_at"] = null, ["paid_at"] = null },
            };
            invoice["payments"]!["data"]!.AsArray().Add(payment);
        }
        var decline = paymentMethodId is null
            ? new TestCards.Decline("payment_method_missing", "generic_decline", "The customer has no payment method.")
            : Payments.Confirm(s, cause, pi, paymentMethodId, offSession);
        if (decline is null)
        {
            MarkPaid(s, cause, invoice, now, pi["amount_received"]!.Long());
            return true;
        }
        s.Update(invoice, cause, null, o =>
        {
            var attempts = o["attempt_count"]!.Long() + 1;
            o["attempt_count"] = attempts;
            o["attempted"] = true;
            o["next_payment_attempt"] = attempts <= RetryDelayDays.Length ? now + RetryDelayDays[attempts - 1] * 86400L : null;
        });
        s.Emit("invoice.payment_failed", invoice, cause);
        return false;
    }

    static void MarkPaid(SandboxState s, Cause cause, JsonObject invoice, long now, long paid = 0)
    {
        s.Update(invoice, cause, null, o =>
        {
            o["status"] = "paid";
            o["paid"] = true;
            o["amount_paid"] = paid;
            o["amount_remaining"] = 0;
            o["attempted"] = true;
            o["attempt_count"] = o["attempt_count"]!.Long() + (paid > 0 ? 1 : 0);
            o["next_payment_attempt"] = null;
            o["status_transitions"]!["paid_at"] = now;
            foreach (var payment in o["payments"]!["data"]!.AsArray().OfType<JsonObject>())
            {
                payment["status"] = "paid";
                payment["amount_paid"] = paid;
                payment["status_transitions"]!["paid_at"] = now;
            }
        });
        s.Emit("invoice.paid", invoice, cause);
        s.Emit("invoice.payment_succeeded", invoice, cause);
    }
}
