using System.Text.Json.Nodes;
using Billing.StripeSandbox.State;

namespace Billing.StripeSandbox.Flows;

/// <summary>
/// Pending invoice items: the prorations a subscription change makes with <c>create_prorations</c>,
/// waiting for the subscription's next invoice (which takes them all and sets their <c>invoice</c>).
/// </summary>
public static class InvoiceItems
{
    /// <summary>Turns a proration line into a pending <c>invoiceitem</c> (its line is kept to be billed as is).</summary>
    public static JsonObject CreatePending(SandboxState s, Cause cause, JsonObject sub, JsonObject line, long now)
    {
        var id = Ids.New("ii_");
        var details = line["parent"]!["subscription_item_details"]!;
        var item = new JsonObject
        {
            ["id"] = id,
            ["object"] = "invoiceitem",
            ["amount"] = line["amount"]!.DeepClone(),
            ["currency"] = line["currency"]!.DeepClone(),
            ["customer"] = sub["customer"]!.DeepClone(),
            ["date"] = now,
            ["description"] = line["description"]!.DeepClone(),
            ["discountable"] = false,
            ["discounts"] = new JsonArray(),
            ["invoice"] = null,
            ["livemode"] = false,
            ["metadata"] = new JsonObject(),
            ["parent"] = new JsonObject
            {
                ["type"] = "subscription_details",
                ["subscription_details"] = new JsonObject
                {
                    ["subscription"] = sub["id"]!.DeepClone(),
                    ["subscription_item"] = details["subscription_item"]!.DeepClone(),
                },
            },
            ["period"] = line["period"]!.DeepClone(),
            ["pricing"] = line["pricing"]!.DeepClone(),
            ["proration"] = true,
            ["quantity"] = line["quantity"]!.DeepClone(),
            ["tax_rates"] = new JsonArray(),
            ["test_clock"] = sub["test_clock"]?.DeepClone(),
        };
        var kept = (JsonObject)line.DeepClone();
        kept["parent"]!["subscription_item_details"]!["invoice_item"] = id;
        s.Hidden[id + ":line"] = kept;
        s.Add(s.ScopeOf(sub["id"]!.GetValue<string>()), item);
        s.Emit("invoiceitem.created", item, cause);
        return item;
    }

    /// <summary>The subscription's invoice items not yet on an invoice, oldest first.</summary>
    public static List<JsonObject> Pending(SandboxState s, JsonObject sub)
    {
        var subId = sub["id"]!.GetValue<string>();
        return s.All(s.ScopeOf(subId), "invoiceitem").Where(ii => ii["invoice"] is null &&
            ii["parent"]?["subscription_details"]?["subscription"]?.GetValue<string>() == subId).ToList();
    }

    /// <summary>The invoice lines of pending items, each with a fresh id.</summary>
    public static IEnumerable<JsonObject> Lines(SandboxState s, IEnumerable<JsonObject> items, string idPrefix) =>
        items.Select(ii =>
        {
            var line = (JsonObject)s.Hidden[ii["id"]!.GetValue<string>() + ":line"].DeepClone();
            line["id"] = Ids.New(idPrefix);
            return line;
        });

    public static void AttachTo(SandboxState s, Cause cause, List<JsonObject> items, string invoiceId)
    {
        foreach (var ii in items) s.Update(ii, cause, null, o => o["invoice"] = invoiceId);
    }
}
