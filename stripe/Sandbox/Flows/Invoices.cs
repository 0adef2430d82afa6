using System.Text.Json.Nodes;
using Billing.StripeSandbox.State;
using Billing.StripeSandbox.Wire;

namespace Billing.StripeSandbox.Flows;

/// <summary>Subscription invoices: created, finalized at once, then paid by card or failed and retried.</summary>
public static class Invoices
{
    /// <summary>Days after a failed attempt until the next one; after the last, the subscription is canceled.</summary>
    public static readonly int[] RetryDelayDays = [3, 5, 7];

    public static JsonObject CreateForSubscription(SandboxState s, Cause cause, JsonObject sub, string reason,
        long periodStart, long periodEnd, bool trial, long now)
    {
        var id = Ids.New("in_");
        var customerId = sub["customer"]!.GetValue<string>();
        var customer = s.Find(customerId);
        var currency = sub["currency"]!.GetValue<string>();
        var lines = new List<JsonObject>();
        foreach (var item in sub["items"]!["data"]!.AsArray().OfType<JsonObject>())
        {
            var price = item["price"]!.AsObject();
            var quantity = item["quantity"]!.Long();
            var amount = trial ? 0 : price["unit_amount"]!.Long() * quantity;
            var productName = s.Find(price["product"]!.GetValue<string>())?["name"]?.GetValue<string>() ?? "Subscription";
            lines.Add(new JsonObject
            {
                ["id"] = Ids.New("il_"),
                ["object"] = "line_item",
                ["amount"] = amount,
                ["currency"] = currency,
                ["description"] = trial ? $"Trial period for {productName}" : $"{quantity} × {productName}",
                ["discount_amounts"] = new JsonArray(),
                ["discountable"] = true,
                ["discounts"] = new JsonArray(),
                ["livemode"] = false,
                ["metadata"] = new JsonObject(),
                ["parent"] = new JsonObject
                {
                    ["type"] = "subscription_item_details",
                    ["invoice_item_details"] = null,
                    ["subscription_item_details"] = new JsonObject
                    {
                        ["invoice_item"] = null, ["proration"] = false, ["proration_details"] = null,
                        ["subscription"] = sub["id"]!.DeepClone(), ["subscription_item"] = item["id"]!.DeepClone(),
                    },
                },
                ["period"] = new JsonObject { ["end"] = periodEnd, ["start"] = periodStart },
                ["price"] = price.DeepClone(),
                ["pricing"] = new JsonObject
                {
                    ["type"] = "price_details",
                    ["price_details"] = new JsonObject { ["price"] = price["id"]!.DeepClone(), ["product"] = price["product"]!.DeepClone() },
                    ["unit_amount_decimal"] = price["unit_amount_decimal"]?.DeepClone(),
                },
                ["proration"] = false,
                ["quantity"] = quantity,
                ["type"] = "subscription",
            });
        }
        var total = lines.Sum(l => l["amount"]!.Long());
        var invoice = new JsonObject
        {
            ["id"] = id,
            ["object"] = "invoice",
            ["account_country"] = "US",
            ["account_name"] = "Billing Sandbox",
            ["amount_due"] = total,
            ["amount_paid"] = 0,
            ["amount_remaining"] = total,
            ["amount_shipping"] = 0,
            ["application"] = null,
            ["attempt_count"] = 0,
            ["attempted"] = false,
            ["auto_advance"] = true,
            ["automatic_tax"] = new JsonObject { ["enabled"] = false, ["status"] = null },
            ["billing_reason"] = reason,
            ["collection_method"] = "charge_automatically",
            ["created"] = now,
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
            ["lines"] = ListPage.Whole(lines, $"/v1/invoices/{id}/lines"),
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
            ["payments"] = ListPage.Whole([], $"/v1/invoice_payments?invoice={id}"),
            ["period_end"] = periodEnd,
            ["period_start"] = periodStart,
            ["post_payment_credit_notes_amount"] = 0,
            ["pre_payment_credit_notes_amount"] = 0,
            ["starting_balance"] = 0,
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
        s.Add(s.ScopeOf(sub["id"]!.GetValue<string>()), invoice);
        s.Emit("invoice.created", invoice, cause);
        s.Update(invoice, cause, "invoice.finalized", o =>
        {
            var number = customer?["next_invoice_sequence"]?.Long() ?? 1;
            if (customer is not null) customer["next_invoice_sequence"] = number + 1;
            o["status"] = "open";
            o["number"] = $"{customer?["invoice_prefix"]?.GetValue<string>() ?? "SANDBOX"}-{number:0000}";
            o["effective_at"] = now;
            o["status_transitions"]!["finalized_at"] = now;
            o["hosted_invoice_url"] = s.PublicBaseUrl is { } baseUrl ? $"{baseUrl}/invoices/{id}" : null;
        });
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
