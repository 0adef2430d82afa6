using System.Text.Json.Nodes;
using Billing.StripeSandbox.State;
using Billing.StripeSandbox.Wire;

namespace Billing.StripeSandbox.Flows;

/// <summary>Full and partial refunds of captured charges.</summary>
public static class Refunds
{
    public static JsonObject Create(SandboxState s, Cause cause, JsonObject charge, long? requested, string? reason, JsonObject metadata,
        bool reverseTransfer = false)
    {
        if (!charge["captured"]!.GetValue<bool>() || charge["status"]!.GetValue<string>() != "succeeded")
            throw StripeException.Invalid("This charge has not been captured; cancel its PaymentIntent instead.", "charge");
        var captured = charge["amount_captured"]!.Long();
        var refunded = charge["amount_refunded"]!.Long();
        var remaining = captured - refunded;
        if (remaining <= 0)
            throw StripeException.Invalid($"Charge {charge["id"]} has already been refunded.", "charge", "charge_already_refunded");
        var amount = requested ?? remaining;
        if (amount <= 0) throw StripeException.Invalid("Refund amount must be positive.", "amount");
        if (amount > remaining)
            throw StripeException.Invalid(
                $"Refund amount ({amount}) is greater than unrefunded amount on charge ({remaining})", "amount", "amount_too_large");
        var now = s.NowForCustomer(charge["customer"]?.GetValue<string>());
        var refund = new JsonObject
        {
            ["id"] = Ids.New("re_"),
            ["object"] = "refund",
            ["amount"] = amount,
            ["balance_transaction"] = null,
            ["charge"] = charge["id"]!.DeepClone(),
            ["created"] = now,
            ["currency"] = charge["currency"]!.DeepClone(),
            ["metadata"] = metadata,
            ["payment_intent"] = charge["payment_intent"]?.DeepClone(),
            ["reason"] = reason,
            ["receipt_number"] = null,
            ["source_transfer_reversal"] = null,
            ["status"] = "succeeded",
            ["transfer_reversal"] = null,
        };
        // reverse_transfer takes back from the destination the share of the transfer the refund represents.
        if (reverseTransfer && charge["transfer"]?.GetValue<string>() is { } transferId && s.Find(transferId) is { } transfer)
        {
            var share = transfer["amount"]!.Long() * amount / captured;
            var left = transfer["amount"]!.Long() - transfer["amount_reversed"]!.Long();
            if (Math.Min(share, left) > 0)
                refund["transfer_reversal"] = Transfers.Reverse(s, cause, transfer, Math.Min(share, left), refund["id"]!.GetValue<string>(), new JsonObject())["id"]!.DeepClone();
        }
        s.Add(s.ScopeOf(charge["id"]!.GetValue<string>()), refund);
        s.Emit("refund.created", refund, cause);
        s.Update(charge, cause, "charge.refunded", o =>
        {
            o["amount_refunded"] = refunded + amount;
            // Fully refunded means all that was captured (a partial capture's released rest was never taken).
            o["refunded"] = refunded + amount >= captured;
        });
        return refund;
    }
}
