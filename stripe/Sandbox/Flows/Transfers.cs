using System.Text.Json.Nodes;
using Billing.StripeSandbox.State;
using Billing.StripeSandbox.Wire;

namespace Billing.StripeSandbox.Flows;

/// <summary>Platform-to-connected-account transfers (direct and from destination charges).</summary>
public static class Transfers
{
    public static JsonObject Create(SandboxState s, Cause cause, string destination, long amount, string currency,
        string? sourceTransaction, string? transferGroup, string? description, JsonObject metadata, long now)
    {
        var account = s.Get(null, "account", destination, "account", "destination");
        if (account["capabilities"]?["transfers"]?.GetValue<string>() != "active")
            throw StripeException.Invalid(
                "Your destination account needs to have at least one of the following capabilities enabled: transfers, crypto_transfers, legacy_payments",
                "destination", "insufficient_capabilities_for_transfer");
        var id = Ids.New("tr_");
        var transfer = new JsonObject
        {
            ["id"] = id,
            ["object"] = "transfer",
            ["amount"] = amount,
            ["amount_reversed"] = 0,
            ["balance_transaction"] = null,
            ["created"] = now,
            ["currency"] = currency,
            ["description"] = description,
            ["destination"] = destination,
            ["destination_payment"] = Ids.New("py_"),
            ["livemode"] = false,
            ["metadata"] = metadata,
            ["reversals"] = ListPage.Whole([], $"/v1/transfers/{id}/reversals"),
            ["reversed"] = false,
            ["source_transaction"] = sourceTransaction,
            ["source_type"] = "card",
            ["transfer_group"] = transferGroup,
        };
        s.Add(null, transfer);
        s.Emit("transfer.created", transfer, cause);
        return transfer;
    }

    /// <summary>Takes money back from a connected account (fully or partly); emits <c>transfer.reversed</c>.</summary>
    public static JsonObject Reverse(SandboxState s, Cause cause, JsonObject transfer, long? requested, string? sourceRefund, JsonObject metadata)
    {
        var remaining = transfer["amount"]!.Long() - transfer["amount_reversed"]!.Long();
        var amount = requested ?? remaining;
        if (amount <= 0 || amount > remaining)
            throw StripeException.Invalid(
                $"You have requested a reversal of {amount}, but the transfer only has {remaining} left to reverse.", "amount");
        var reversal = new JsonObject
        {
            ["id"] = Ids.New("trr_"),
            ["object"] = "transfer_reversal",
            ["amount"] = amount,
            ["balance_transaction"] = null,
            ["created"] = s.RealNow,
            ["currency"] = transfer["currency"]!.DeepClone(),
            ["destination_payment_refund"] = null,
            ["metadata"] = metadata,
            ["source_refund"] = sourceRefund,
            ["transfer"] = transfer["id"]!.DeepClone(),
        };
        s.Update(transfer, cause, "transfer.reversed", o =>
        {
            o["amount_reversed"] = o["amount_reversed"]!.Long() + amount;
            o["reversed"] = o["amount_reversed"]!.Long() >= o["amount"]!.Long();
            o["reversals"]!["data"]!.AsArray().Insert(0, reversal.DeepClone());
        });
        return reversal;
    }
}
