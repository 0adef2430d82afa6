using System.Diagnostics.Metrics;
using Billing.ServiceDefaults.Telemetry;

namespace Billing.Webhooks.Intake;

/// <summary>
/// Counts and logs refused deliveries (<c>billing.webhooks.rejected</c>, tagged by endpoint and
/// reason), never with the body: a forged or misrouted delivery may carry anything.
/// </summary>
public sealed class WebhookRejections(ILogger<WebhookRejections> logger)
{
    public static readonly Counter<long> Rejected = BillingTelemetry.Meter.CreateCounter<long>(
        "billing.webhooks.rejected", description: "Stripe webhook deliveries refused before anything was stored");

    public void Record(string endpoint, string reason, string detail, int bodyBytes)
    {
        Rejected.Add(1, new KeyValuePair<string, object?>("endpoint", endpoint), new KeyValuePair<string, object?>("reason", reason));
        logger.LogWarning("Stripe webhook refused on {Endpoint}: {Reason} ({Detail}); {BodyBytes} bytes, not stored",
            endpoint, reason, detail, bodyBytes);
    }
}
