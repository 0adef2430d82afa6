using System.Text.Json;
using Billing.Tests.Tenancy;

namespace Billing.Tests.EndToEnd;

/// <summary>What an app's server and its customers do in the end-to-end tests: through the gateway with the app's key, and paying in the sandbox.</summary>
public sealed class BillingSteps(SystemFixture system, TestTenant tenant)
{
    public const string SuccessUrl = "https://shop.example.com/done?session={CHECKOUT_SESSION_ID}";
    public const string CancelUrl = "https://shop.example.com/cancel";

    public HttpClient Client { get; } = tenant.KeyClient(system.Gateway);
    public string App => tenant.AppId;
    public string Path(string rest) => $"/v1/{tenant.AppId}/billing/{rest}";

    /// <summary>A new customer of the app; on a Stripe test clock when one is given.</summary>
    public async Task<string> CustomerAsync(string? clock = null, string? email = null)
    {
        var metadata = clock is null ? null : new Dictionary<string, string> { ["stripe_test_clock"] = clock };
        var customer = await Client.PostAsync(Path("customers"),
            new { externalId = "user-" + Guid.NewGuid().ToString("N")[..10], email = email ?? $"{Guid.NewGuid():N}@example.com", metadata }, 201);
        return customer.GetProperty("id").GetString()!;
    }

    public Task<JsonElement> SubscribeAsync(string customerId, string planId, string? interval = null, int? quantity = null, int? trialDays = null, int expected = 201) =>
        Client.PostAsync(Path("subscribe"), new { planId, interval, customerId, successUrl = SuccessUrl, cancelUrl = CancelUrl, quantity, trialDays }, expected);

    /// <summary>Pays the session in the sandbox as the customer would on the hosted page.</summary>
    public Task<JsonElement> PayAsync(JsonElement session, string card = "4242424242424242") =>
        system.Sandbox.PostAsync($"/v1/test_helpers/checkout/sessions/{session.GetProperty("sessionId").GetString()}/complete", ("card", card));

    /// <summary>The customer's subscriptions until the newest satisfies <paramref name="done"/> (or 30 s pass).</summary>
    public Task<JsonElement> SubscriptionEventuallyAsync(string customerId, Func<JsonElement, bool> done) =>
        SystemFixture.EventuallyAsync(async () =>
        {
            var list = await Client.GetAsync(Path($"subscriptions?customerId={customerId}"), 200);
            return list.GetProperty("data").EnumerateArray().LastOrDefault();
        }, s => s.ValueKind == JsonValueKind.Object && done(s));

    public static Func<JsonElement, bool> Status(string status) => s => s.GetProperty("status").GetString() == status;

    /// <summary>A new Stripe test clock at the current time.</summary>
    public async Task<(string Id, DateTimeOffset Time)> ClockAsync()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var clock = await system.Sandbox.PostAsync("/v1/test_helpers/test_clocks", ("frozen_time", now.ToUnixTimeSeconds().ToString()));
        return (clock.GetProperty("id").GetString()!, now);
    }

    /// <summary>Moves the clock and waits until the sandbox finished (renewals, trial ends, retries happened).</summary>
    public async Task AdvanceAsync(string clock, DateTimeOffset to)
    {
        await system.Sandbox.PostAsync($"/v1/test_helpers/test_clocks/{clock}/advance", ("frozen_time", to.ToUnixTimeSeconds().ToString()));
        var status = await SystemFixture.EventuallyAsync(
            async () => (await system.Sandbox.GetAsync($"/v1/test_helpers/test_clocks/{clock}")).GetProperty("status").GetString(), s => s == "ready");
        Assert.Equal("ready", status);
    }

    /// <summary>The subscription as Stripe (the sandbox) has it.</summary>
    public Task<JsonElement> StripeSubscriptionAsync(JsonElement local) =>
        system.Sandbox.GetAsync($"/v1/subscriptions/{local.GetProperty("stripe").GetProperty("subscriptionId").GetString()}");
}
