using Xunit;
using System.Text.Json.Nodes;

namespace Billing.Stripe.Tests.Sandbox.Support;

/// <summary>Small builders for the objects most tests start from.</summary>
public static class Fixtures
{
    public static long Long(this JsonNode? node) => node!.GetValue<long>();
    public static string Str(this JsonNode? node) => node!.GetValue<string>();

    public static async Task<(string Product, string Monthly, string Yearly)> Plan(StripeHttp stripe, long monthly = 1000)
    {
        var product = await stripe.Create("/v1/products", ("name", "Pro " + Guid.NewGuid().ToString("N")[..6]));
        var m = await stripe.Create("/v1/prices", ("product", product.Id()), ("currency", "usd"), ("unit_amount", monthly.ToString()),
            ("recurring[interval]", "month"));
        var y = await stripe.Create("/v1/prices", ("product", product.Id()), ("currency", "usd"), ("unit_amount", (monthly * 10).ToString()),
            ("recurring[interval]", "year"));
        return (product.Id(), m.Id(), y.Id());
    }

    public static async Task<string> OneTimePrice(StripeHttp stripe, long amount)
    {
        var price = await stripe.Create("/v1/prices", ("product_data[name]", "Widget"), ("currency", "usd"), ("unit_amount", amount.ToString()));
        return price.Id();
    }

    public static string Id(this JsonObject o) => o["id"]!.GetValue<string>();

    /// <summary>Opens a subscription checkout and completes it through the test helper with a card.</summary>
    public static async Task<JsonObject> Subscribe(StripeHttp stripe, string price, string card = "4242424242424242",
        string? customer = null, int trialDays = 0, params (string, string)[] extra)
    {
        var form = new List<(string, string)>
        {
            ("mode", "subscription"), ("line_items[0][price]", price), ("line_items[0][quantity]", "1"),
            ("success_url", "https://app.example/success?session={CHECKOUT_SESSION_ID}"),
        };
        if (customer is not null) form.Add(("customer", customer)); else form.Add(("customer_email", "buyer@example.com"));
        if (trialDays > 0) form.Add(("subscription_data[trial_period_days]", trialDays.ToString()));
        form.AddRange(extra);
        var session = await stripe.Create("/v1/checkout/sessions", [.. form]);
        return await stripe.Create($"/v1/test_helpers/checkout/sessions/{session.Id()}/complete", ("card", card));
    }

    public static async Task<JsonObject> WaitUntil(Func<Task<JsonObject?>> probe, string what, int timeoutMs = 10_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (true)
        {
            if (await probe() is { } result) return result;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out waiting for {what}");
            await Task.Delay(25);
        }
    }

    /// <summary>Advances a test clock and waits until it is ready again.</summary>
    public static async Task<JsonObject> Advance(StripeHttp stripe, string clock, long to)
    {
        var started = await stripe.Create($"/v1/test_helpers/test_clocks/{clock}/advance", ("frozen_time", to.ToString()));
        Assert.Equal("advancing", started["status"]!.GetValue<string>());
        return await WaitUntil(async () =>
        {
            var c = await stripe.Fetch($"/v1/test_helpers/test_clocks/{clock}");
            return c["status"]!.GetValue<string>() == "ready" ? c : null;
        }, "test clock ready");
    }
}
