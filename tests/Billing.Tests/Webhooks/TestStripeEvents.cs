using System.Text.Json.Nodes;

namespace Billing.Tests.Webhooks;

/// <summary>Snapshot-form Stripe events for tests that sign deliveries themselves.</summary>
public static class TestStripeEvents
{
    public static string NewEventId() => "evt_test_" + Guid.NewGuid().ToString("N");

    /// <summary>An event of <paramref name="type"/> whose object carries <c>metadata[app_id]</c>.</summary>
    public static string Build(string type, JsonObject obj, string? appId, string? eventId = null, string? account = null, DateTimeOffset? created = null)
    {
        if (appId is not null) obj["metadata"] = new JsonObject { ["app_id"] = appId };
        return new JsonObject
        {
            ["id"] = eventId ?? NewEventId(),
            ["object"] = "event",
            ["api_version"] = "2026-10-28.endive",
            ["created"] = (created ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds(),
            ["livemode"] = false,
            ["pending_webhooks"] = 1,
            ["request"] = new JsonObject { ["id"] = null, ["idempotency_key"] = null },
            ["type"] = type,
            ["account"] = account,
            ["data"] = new JsonObject { ["object"] = obj },
        }.ToJsonString();
    }

    /// <summary>A thin <c>payment_intent.succeeded</c> (<c>v2.core.event</c>): it names the payment intent but does not carry it.</summary>
    public static string ThinPaymentIntentSucceeded(string eventId, string paymentIntentId) => new JsonObject
    {
        ["id"] = eventId,
        ["object"] = "v2.core.event",
        ["type"] = "payment_intent.succeeded",
        ["created"] = DateTimeOffset.UtcNow.ToString("O"),
        ["livemode"] = false,
        ["related_object"] = new JsonObject { ["id"] = paymentIntentId, ["type"] = "payment_intent", ["url"] = $"/v1/payment_intents/{paymentIntentId}" },
    }.ToJsonString();

    /// <summary>A paid invoice of a subscription, in the current API shape.</summary>
    public static string InvoicePaid(string appId, string? eventId = null) =>
        Build("invoice.paid", new JsonObject
        {
            ["id"] = "in_test_" + Guid.NewGuid().ToString("N")[..12],
            ["object"] = "invoice",
            ["status"] = "paid",
            ["customer"] = "cus_test",
            ["amount_due"] = 2900,
            ["amount_paid"] = 2900,
            ["currency"] = "usd",
            ["billing_reason"] = "subscription_create",
            ["attempt_count"] = 1,
        }, appId, eventId);
}
