using System.Text.Json.Nodes;
using Billing.StripeSandbox.State;
using Billing.StripeSandbox.Wire;

namespace Billing.StripeSandbox.Flows;

/// <summary>Card payments: payment intents, charges, capture, cancel and destination transfers.</summary>
public static class Payments
{
    public static JsonObject CreateIntent(SandboxState s, string? account, Cause cause, long amount, string currency,
        string? customer, string captureMethod, JsonObject metadata, string? description, long now)
    {
        var id = Ids.New("pi_");
        var pi = new JsonObject
        {
            ["id"] = id,
            ["object"] = "payment_intent",
            ["amount"] = amount,
            ["amount_capturable"] = 0,
            ["amount_received"] = 0,
            ["application"] = null,
            ["application_fee_amount"] = null,
            ["automatic_payment_methods"] = null,
            ["canceled_at"] = null,
            ["cancellation_reason"] = null,
            ["capture_method"] = captureMethod,
            ["client_secret"] = $"{id}_secret_{Ids.New("", 25)}",
            ["confirmation_method"] = "automatic",
            ["created"] = now,
            ["currency"] = currency,
            ["customer"] = customer,
            ["description"] = description,
            ["last_payment_error"] = null,
            ["latest_charge"] = null,
            ["livemode"] = false,
            ["metadata"] = metadata,
            ["next_action"] = null,
            ["on_behalf_of"] = null,
            ["payment_method"] = null,
            ["payment_method_types"] = new JsonArray("card"),
            ["receipt_email"] = null,
            ["setup_future_usage"] = null,
            ["shipping"] = null,
            ["statement_descriptor"] = null,
            ["statement_descriptor_suffix"] = null,
            ["status"] = "requires_payment_method",
            ["transfer_data"] = null,
            ["transfer_group"] = null,
        };
        s.Add(account, pi);
        s.Emit("payment_intent.created", pi, cause);
        return pi;
    }

    /// <summary>
    /// Confirms an intent with a card payment method: a charge that succeeds (captured now, or held
    /// for manual capture) or fails. Returns the decline, or null on success.
    /// </summary>
    public static TestCards.Decline? Confirm(SandboxState s, Cause cause, JsonObject pi, string paymentMethodId, bool offSession)
    {
        var account = s.ScopeOf(pi["id"]!.GetValue<string>());
        var number = s.CardNumbers.GetValueOrDefault(paymentMethodId, TestCards.Succeeds);
        var decline = TestCards.Charge(number, offSession);
        var now = s.NowForCustomer(pi["customer"]?.GetValue<string>());
        var manual = pi["capture_method"]!.GetValue<string>() == "manual";
        var amount = pi["amount"]!.Long();
        var charge = NewCharge(s, pi, paymentMethodId, now, decline, manual);
        s.Add(account, charge);
        var chargeId = charge["id"]!.GetValue<string>();

        if (decline is not null)
        {
            s.Emit("charge.failed", charge, cause);
            s.Update(pi, cause, null, o =>
            {
                o["latest_charge"] = chargeId;
                o["payment_method"] = null;
                o["status"] = "requires_payment_method";
                o["last_payment_error"] = new JsonObject
                {
                    ["charge"] = chargeId,
                    ["code"] = decline.Code,
                    ["decline_code"] = decline.DeclineCode,
                    ["doc_url"] = "https://stripe.com/docs/error-codes/card-declined",
                    ["message"] = decline.Message,
                    ["payment_method"] = s.Find(paymentMethodId)?.DeepClone(),
                    ["type"] = "card_error",
                };
            });
            s.Emit("payment_intent.payment_failed", pi, cause);
            return decline;
        }

        s.Update(pi, cause, null, o =>
        {
            o["latest_charge"] = chargeId;
            o["payment_method"] = paymentMethodId;
            o["last_payment_error"] = null;
            o["status"] = manual ? "requires_capture" : "succeeded";
            o["amount_capturable"] = manual ? amount : 0;
            o["amount_received"] = manual ? 0 : amount;
        });
        s.Emit("charge.succeeded", charge, cause);
        if (manual)
        {
            s.Emit("payment_intent.amount_capturable_updated", pi, cause);
        }
        else
        {
            s.Emit("payment_intent.succeeded", pi, cause);
            TransferToDestination(s, cause, pi, charge);
        }
        return null;
    }

    static JsonObject NewCharge(SandboxState s, JsonObject pi, string paymentMethodId, long now, TestCards.Decline? decline, bool manual)
    {
        var pm = s.Find(paymentMethodId);
        var amount = pi["amount"]!.Long();
        var id = Ids.New("ch_");
        return new JsonObject
        {
            ["id"] = id,
            ["object"] = "charge",
            ["amount"] = amount,
            ["amount_captured"] = decline is null && !manual ? amount : 0,
            ["amount_refunded"] = 0,
            ["application"] = null,
            ["application_fee"] = null,
            ["application_fee_amount"] = pi["application_fee_amount"]?.DeepClone(),
            ["balance_transaction"] = null,
            ["billing_details"] = pm?["billing_details"]?.DeepClone() ?? new JsonObject
            {
                ["address"] = null, ["email"] = null, ["name"] = null, ["phone"] = null,
            },
            ["calculated_statement_descriptor"] = "SANDBOX",
            ["captured"] = decline is null && !manual,
            ["created"] = now,
            ["currency"] = pi["currency"]!.DeepClone(),
            ["customer"] = pi["customer"]?.DeepClone(),
            ["description"] = pi["description"]?.DeepClone(),
            ["disputed"] = false,
            ["failure_code"] = decline?.Code,
            ["failure_message"] = decline?.Message,
            ["fraud_details"] = new JsonObject(),
            ["livemode"] = false,
            ["metadata"] = pi["metadata"]!.DeepClone(),
            ["on_behalf_of"] = null,
            ["outcome"] = new JsonObject
            {
                ["network_status"] = decline is null ? "approved_by_network" : "declined_by_network",
                ["reason"] = decline?.DeclineCode,
                ["risk_level"] = "normal",
                ["seller_message"] = decline is null ? "Payment complete." : "The bank did not return any further details with this decline.",
                ["type"] = decline is null ? "authorized" : "issuer_declined",
            },
            ["paid"] = decline is null,
            ["payment_intent"] = pi["id"]!.DeepClone(),
            ["payment_method"] = paymentMethodId,
            ["payment_method_details"] = new JsonObject
            {
                ["card"] = new JsonObject
                {
                    ["brand"] = pm?["card"]?["brand"]?.DeepClone(),
                    ["country"] = "US",
                    ["exp_month"] = pm?["card"]?["exp_month"]?.DeepClone(),
                    ["exp_year"] = pm?["card"]?["exp_year"]?.DeepClone(),
                    ["funding"] = "credit",
                    ["last4"] = pm?["card"]?["last4"]?.DeepClone(),
                },
                ["type"] = "card",
            },
            ["receipt_email"] = null,
            ["receipt_url"] = null,
            ["refunded"] = false,
            ["review"] = null,
            ["shipping"] = null,
            ["status"] = decline is null ? "succeeded" : "failed",
            ["transfer_data"] = pi["transfer_data"]?.DeepClone(),
            ["transfer_group"] = pi["transfer_group"]?.DeepClone(),
        };
    }

    public static void Capture(SandboxState s, Cause cause, JsonObject pi, long? amountToCapture)
    {
        if (pi["status"]!.GetValue<string>() != "requires_capture")
            throw StripeException.Invalid(
                $"This PaymentIntent could not be captured because it has a status of {pi["status"]}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.",
                null, "payment_intent_unexpected_state");
        var capturable = pi["amount_capturable"]!.Long();
        var amount = amountToCapture ?? capturable;
        if (amount <= 0 || amount > capturable)
            throw StripeException.Invalid("The amount to capture must be positive and at most the amount capturable.", "amount_to_capture");
        var charge = s.Find(pi["latest_charge"]!.GetValue<string>())!;
        s.Update(charge, cause, "charge.captured", o =>
        {
            o["captured"] = true;
            // Capturing less than authorized releases the rest; Stripe does not count it as refunded,
            // so a later refund can return all of amount_captured.
            o["amount_captured"] = amount;
        });
        s.Update(pi, cause, null, o =>
        {
            o["status"] = "succeeded";
            o["amount_capturable"] = 0;
            o["amount_received"] = amount;
        });
        s.Emit("payment_intent.succeeded", pi, cause);
        TransferToDestination(s, cause, pi, charge);
    }

    public static void Cancel(SandboxState s, Cause cause, JsonObject pi, string? reason)
    {
        var status = pi["status"]!.GetValue<string>();
        if (status is "succeeded" or "canceled" or "processing")
            throw StripeException.Invalid(
                $"You cannot cancel this PaymentIntent because it has a status of {status}. Only a PaymentIntent with one of the following statuses may be canceled: requires_payment_method, requires_capture, requires_confirmation, requires_action.",
                null, "payment_intent_unexpected_state");
        if (status == "requires_capture" && s.Find(pi["latest_charge"]!.GetValue<string>()) is { } charge)
            s.Update(charge, cause, "charge.refunded", o =>
            {
                o["refunded"] = true;
                o["amount_refunded"] = o["amount"]!.Long();
            });
        s.Update(pi, cause, null, o =>
        {
            o["status"] = "canceled";
            o["canceled_at"] = s.NowForCustomer(o["customer"]?.GetValue<string>());
            o["cancellation_reason"] = reason;
            o["amount_capturable"] = 0;
        });
        s.Emit("payment_intent.canceled", pi, cause);
    }

    /// <summary>Destination charges: the platform moves the charge less its fee to the connected account.</summary>
    static void TransferToDestination(SandboxState s, Cause cause, JsonObject pi, JsonObject charge)
    {
        if (pi["transfer_data"]?["destination"]?.GetValue<string>() is not { } destination) return;
        var received = pi["amount_received"]!.Long();
        var amount = pi["transfer_data"]!["amount"]?.Long()
            ?? received - (pi["application_fee_amount"]?.Long() ?? 0);
        var transfer = Transfers.Create(s, cause, destination, Math.Max(0, amount), pi["currency"]!.GetValue<string>(),
            charge["id"]!.GetValue<string>(), pi["transfer_group"]?.GetValue<string>(), null, new JsonObject(),
            s.NowForCustomer(pi["customer"]?.GetValue<string>()));
        charge["transfer"] = transfer["id"]!.DeepClone();
    }
}
