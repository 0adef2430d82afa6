using Billing.Contracts.Stripe;

namespace Billing.Webhooks.Normalization;

/// <summary>The state each contract carries, read from the event's <c>data.object</c>.</summary>
internal static class StateReaders
{
    public static CheckoutSessionState CheckoutSession(StripeObject s) => new(
        s.Id, s.String("mode") ?? "", s.String("status"), s.String("payment_status"), s.Ref("customer"), s.Ref("subscription"),
        s.Ref("payment_intent"), s.String("client_reference_id"), s.Long("amount_total"), s.String("currency"));

    public static SubscriptionState Subscription(StripeObject s)
    {
        StripeObject? item = s.List("items").Select(i => (StripeObject?)i).FirstOrDefault();
        return new(
            s.Id, s.String("status") ?? "", s.Ref("customer"), item?.Child("price")?.String("id"), item?.Long("quantity") ?? 1,
            s.Bool("cancel_at_period_end"),
            // Current API: the period is on the items; the 2023 shape has it on the subscription.
            item?.Time("current_period_end") ?? s.Time("current_period_end"),
            s.Time("canceled_at"), s.Time("trial_end"));
    }

    public static InvoiceState Invoice(StripeObject i) => new(
        i.Id, i.String("status"), i.Ref("customer"),
        i.Child("parent")?.Child("subscription_details")?.Ref("subscription") ?? i.Ref("subscription"),
        i.Long("amount_due") ?? 0, i.Long("amount_paid") ?? 0, i.String("currency") ?? "", i.String("billing_reason"),
        i.Long("attempt_count") ?? 0, i.Time("next_payment_attempt"));

    public static PaymentIntentState PaymentIntent(StripeObject p)
    {
        var error = p.Child("last_payment_error");
        return new(
            p.Id, p.String("status") ?? "", p.Long("amount") ?? 0, p.Long("amount_received") ?? 0, p.Long("amount_capturable") ?? 0,
            p.String("currency") ?? "", p.Ref("customer"), p.Ref("latest_charge"),
            error?.String("decline_code") ?? error?.String("code"), error?.String("message"));
    }

    public static ChargeState Charge(StripeObject c) => new(
        c.Id, c.String("status") ?? "", c.Long("amount") ?? 0, c.Long("amount_refunded") ?? 0, c.Bool("refunded"),
        c.String("currency") ?? "", c.Ref("payment_intent"), c.Ref("customer"));

    public static AccountState Account(StripeObject a) => new(
        a.Id, a.Bool("charges_enabled"), a.Bool("payouts_enabled"), a.Bool("details_submitted"),
        a.Child("requirements")?.Property("currently_due") is { ValueKind: System.Text.Json.JsonValueKind.Array } due
            ? due.EnumerateArray().Select(d => d.GetString() ?? "").ToList()
            : []);

    public static TransferState Transfer(StripeObject t) => new(
        t.Id, t.Long("amount") ?? 0, t.Long("amount_reversed") ?? 0, t.Bool("reversed"), t.String("currency") ?? "",
        t.Ref("destination"), t.String("transfer_group"));
}
