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
}
