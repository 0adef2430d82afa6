using Billing.Tests.Messaging;
using Billing.Tests.Webhooks;

namespace Billing.Tests.Subscriptions;

/// <summary>The Subscriptions service's settings in tests: Stripe (the sandbox, or a port that refuses at once) and fast retries.</summary>
public static class SubscriptionsTestHost
{
    /// <param name="stripeApiBase">The sandbox's address; none for tests that never reach Stripe.</param>
    public static Dictionary<string, string?> Settings(string? stripeApiBase = null) => new(MessagingTestHost.FastSettings)
    {
        ["Stripe:SecretKey"] = WebhooksTestHost.StripeKey,
        ["Stripe:ApiBase"] = stripeApiBase ?? "http://127.0.0.1:1",
        ["Stripe:MaxNetworkRetries"] = stripeApiBase is null ? "0" : "1",
        // Lets tests put a customer's Stripe customer on a test clock (metadata stripe_test_clock).
        ["Subscriptions:AllowTestClocks"] = "true",
    };
}
