using System.Text.Json.Nodes;
using Billing.StripeSandbox.Flows;
using Billing.StripeSandbox.Wire;

namespace Billing.StripeSandbox.Apis;

/// <summary>Payment intents, charges, refunds and transfers.</summary>
public static class PaymentsApi
{
    public static void MapPaymentsApi(this IEndpointRouteBuilder api)
    {
        api.Get("/v1/payment_intents", c =>
        {
            var p = c.P.Allow("limit", "starting_after", "ending_before", "created", "customer");
            var customer = p.NonEmpty("customer");
            return ListPage.Build(p, c.State.All(c.Account, "payment_intent")
                .Where(o => customer is null || o["customer"]?.GetValue<string>() == customer), "/v1/payment_intents");
        });
        api.Get("/v1/payment_intents/{id}", c => c.Get("payment_intent", c.Route("id"), "payment_intent", "intent"));
        api.Post("/v1/payment_intents/{id}/capture", c =>
        {
            var p = c.P.Allow("amount_to_capture", "metadata", "application_fee_amount");
            var pi = c.Get("payment_intent", c.Route("id"), "payment_intent", "intent");
            if (p.Has("metadata")) pi["metadata"] = Metadata.Apply(pi["metadata"]!.AsObject(), p);
            Payments.Capture(c.State, c.Cause, pi, p.Long("amount_to_capture"));
            return pi;
        });
        api.Post("/v1/payment_intents/{id}/cancel", c =>
        {
            var p = c.P.Allow("cancellation_reason");
            var pi = c.Get("payment_intent", c.Route("id"), "payment_intent", "intent");
            Payments.Cancel(c.State, c.Cause, pi,
                p.Enum("cancellation_reason", "duplicate", "fraudulent", "requested_by_customer", "abandoned") ?? "requested_by_customer");
            return pi;
        });
        api.Get("/v1/charges/{id}", c => c.Get("charge", c.Route("id"), "charge", "charge"));
        api.Get("/v1/payment_methods/{id}", c => c.Get("payment_method", c.Route("id"), "PaymentMethod", "payment_method"));

        api.Post("/v1/refunds", CreateRefund);
        api.Get("/v1/refunds/{id}", c => c.Get("refund", c.Route("id"), "refund", "refund"));
        api.Get("/v1/refunds", c =>
        {
            var p = c.P.Allow("limit", "starting_after", "ending_before", "created", "charge", "payment_intent");
            var charge = p.NonEmpty("charge");
            var pi = p.NonEmpty("payment_intent");
            return ListPage.Build(p, c.State.All(c.Account, "refund").Where(o =>
                (charge is null || o["charge"]?.GetValue<string>() == charge) &&
                (pi is null || o["payment_intent"]?.GetValue<string>() == pi)), "/v1/refunds");
        });

        api.Post("/v1/transfers", CreateTransfer);
        api.Get("/v1/transfers/{id}", c => c.Get("transfer", c.Route("id"), "transfer", "transfer"));
        api.Post("/v1/transfers/{id}/reversals", c =>
        {
            var p = c.P.Allow("amount", "description", "metadata", "refund_application_fee");
            var transfer = c.Get("transfer", c.Route("id"), "transfer", "id");
            return Transfers.Reverse(c.State, c.Cause, transfer, p.Long("amount"), null, Metadata.From(p));
        });
        api.Get("/v1/transfers", c =>
        {
            var p = c.P.Allow("limit", "starting_after", "ending_before", "created", "destination", "transfer_group");
            var destination = p.NonEmpty("destination");
            var group = p.NonEmpty("transfer_group");
            return ListPage.Build(p, c.State.All(c.Account, "transfer").Where(o =>
                (destination is null || o["destination"]!.GetValue<string>() == destination) &&
                (group is null || o["transfer_group"]?.GetValue<string>() == group)), "/v1/transfers");
        });
    }

    static JsonNode CreateRefund(ApiCall c)
    {
        var p = c.P.Allow("payment_intent", "charge", "amount", "reason", "metadata", "refund_application_fee", "reverse_transfer",
            "instructions_email");
        JsonObject charge;
        if (p.NonEmpty("charge") is { } chargeId) charge = c.Get("charge", chargeId, "charge", "charge");
        else if (p.NonEmpty("payment_intent") is { } piId)
        {
            var pi = c.Get("payment_intent", piId, "payment_intent", "payment_intent");
            charge = pi["latest_charge"]?.GetValue<string>() is { } latest && pi["status"]!.GetValue<string>() == "succeeded"
                ? c.State.Find(latest)!
                : throw StripeException.Invalid($"This PaymentIntent ({piId}) does not have a successful charge to refund.", "payment_intent");
        }
        else throw StripeException.Missing("charge");
        return Refunds.Create(c.State, c.Cause, charge, p.Long("amount"),
            p.Enum("reason", "duplicate", "fraudulent", "requested_by_customer"), Metadata.From(p), p.Bool("reverse_transfer") ?? false);
    }

    static JsonNode CreateTransfer(ApiCall c)
    {
        var p = c.P.Allow("currency", "destination", "amount", "description", "source_transaction", "transfer_group", "metadata");
        if (c.Account is not null) throw StripeException.Invalid("Transfers are made by the platform account.");
        var currency = p.Required("currency").ToLowerInvariant();
        var destination = p.Required("destination");
        var amount = p.Long("amount") ?? throw StripeException.Missing("amount");
        if (amount < 1) throw StripeException.Invalid("Amount must be at least 1.", "amount");
        var source = p.NonEmpty("source_transaction");
        if (source is not null) c.Get("charge", source, "charge", "source_transaction");
        return Transfers.Create(c.State, c.Cause, destination, amount, currency, source, p.NonEmpty("transfer_group"),
            p.NonEmpty("description"), Metadata.From(p), c.Now);
    }
}
