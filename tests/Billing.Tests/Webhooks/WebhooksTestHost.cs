using System.Net.Http.Headers;
using System.Text;
using Billing.Tests.Infrastructure;
using Billing.Tests.Messaging;
using Billing.Webhooks;
using Stripe;

namespace Billing.Tests.Webhooks;

/// <summary>The Webhooks service as the AppHost configures it, with test secrets, and how tests sign deliveries.</summary>
public static class WebhooksTestHost
{
    public const string PlatformSecret = "whsec_webhooks_tests_platform";
    /// <summary>The second platform secret, as during a roll: deliveries signed with either verify.</summary>
    public const string RotatedSecret = "whsec_webhooks_tests_rotated";
    public const string ConnectSecret = "whsec_webhooks_tests_connect";
    public const string StripeKey = "sk_test_webhooks_tests";

    /// <param name="stripeApiBase">The sandbox's address; none for tests that never call Stripe.</param>
    /// <param name="reconcileInterval">Null leaves the reconciler off.</param>
    public static Dictionary<string, string?> Settings(string? stripeApiBase = null, TimeSpan? reconcileInterval = null)
    {
        var settings = new Dictionary<string, string?>(MessagingTestHost.FastSettings)
        {
            ["Stripe:SecretKey"] = StripeKey,
            // Port 1 refuses at once: a test that unexpectedly calls Stripe fails fast.
            ["Stripe:ApiBase"] = stripeApiBase ?? "http://127.0.0.1:1",
            ["Stripe:MaxNetworkRetries"] = "0",
            ["Stripe:WebhookSecrets:0"] = PlatformSecret,
            ["Stripe:WebhookSecrets:1"] = RotatedSecret,
            ["Stripe:ConnectWebhookSecrets:0"] = ConnectSecret,
            ["Webhooks:MaxBodyBytes"] = "65536",
            ["Webhooks:ReconcileEnabled"] = reconcileInterval is null ? "false" : "true",
            ["Webhooks:ReconcileInterval"] = (reconcileInterval ?? TimeSpan.FromMinutes(1)).ToString(),
        };
        return settings;
    }

    /// <summary>Started and ready: its queues are bound, so a fault or event published right after is not lost.</summary>
    public static async Task<TestService> StartAsync(InfrastructureFixture infrastructure, Dictionary<string, string?>? settings = null)
    {
        var service = await TestService.StartAsync(WebhooksService.Build, infrastructure, WebhooksService.Name, settings ?? Settings());
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            using var health = await service.Client.GetAsync("/health");
            if (health.IsSuccessStatusCode) return service;
            await Task.Delay(50);
        }
        await service.DisposeAsync();
        throw new TimeoutException("The Webhooks service did not become ready (/health) within 30 s.");
    }

    /// <summary>A POST of <paramref name="body"/> signed now with <paramref name="secret"/>, as Stripe sends it.</summary>
    public static HttpRequestMessage Signed(string path, string body, string secret = PlatformSecret, DateTimeOffset? at = null)
    {
        var request = Unsigned(path, body);
        request.Headers.Add("Stripe-Signature", EventUtility.GenerateSignatureHeader(body, secret, (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds()));
        return request;
    }

    public static HttpRequestMessage Unsigned(string path, string body) => new(HttpMethod.Post, path)
    {
        Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
    };
}
