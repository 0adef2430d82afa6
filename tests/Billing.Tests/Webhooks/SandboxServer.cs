using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Billing.StripeSandbox;
using Billing.StripeSandbox.Webhooks;
using Billing.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Tests.Webhooks;

/// <summary>
/// The Stripe sandbox hosted in-process on 127.0.0.1:0, its webhook endpoints pointing where the
/// test says, and the few calls the Webhooks tests make against it (form-encoded, as Stripe's API).
/// </summary>
public sealed class SandboxServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SandboxServer(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
        Client = new HttpClient { BaseAddress = new Uri(baseUrl) };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", WebhooksTestHost.StripeKey);
    }

    public string BaseUrl { get; }
    public HttpClient Client { get; }

    /// <param name="platformUrl">Where platform events are delivered (signed with the platform secret).</param>
    /// <param name="connectUrl">Where connected accounts' events are delivered.</param>
    /// <param name="url">Where the sandbox listens; a free port on 127.0.0.1 unless given (a test may need it before the start).</param>
    public static async Task<SandboxServer> StartAsync(
        string? platformUrl = null, string? connectUrl = null, IDictionary<string, string?>? settings = null, string? url = null)
    {
        var configuration = new Dictionary<string, string?>
        {
            ["urls"] = url ?? "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Sandbox:ApiKeys:0"] = WebhooksTestHost.StripeKey,
            ["Sandbox:Delivery:InitialBackoff"] = "00:00:00.100",
        };
        var endpoint = 0;
        if (platformUrl is not null) AddEndpoint(configuration, endpoint++, platformUrl, WebhooksTestHost.PlatformSecret, connect: false);
        if (connectUrl is not null) AddEndpoint(configuration, endpoint, connectUrl, WebhooksTestHost.ConnectSecret, connect: true);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) configuration[key] = value;

        var app = SandboxApp.Build(configuration.Select(kv => $"--{kv.Key}={kv.Value}").ToArray());
        await app.StartAsync();
        return new SandboxServer(app, app.ListeningAddress().GetLeftPart(UriPartial.Authority));
    }

    private static void AddEndpoint(Dictionary<string, string?> configuration, int index, string url, string secret, bool connect)
    {
        configuration[$"Sandbox:WebhookEndpoints:{index}:Url"] = url;
        configuration[$"Sandbox:WebhookEndpoints:{index}:Secret"] = secret;
        configuration[$"Sandbox:WebhookEndpoints:{index}:Connect"] = connect ? "true" : "false";
    }

    public async Task<JsonElement> PostAsync(string path, params (string Key, string Value)[] form)
    {
        using var response = await Client.PostAsync(path, new FormUrlEncodedContent(form.Select(f => KeyValuePair.Create(f.Key, f.Value))));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"Sandbox {path} answered {(int)response.StatusCode}: {body}");
        return body;
    }

    public Task<JsonElement> GetAsync(string path) => Client.GetFromJsonAsync<JsonElement>(path);

    /// <summary>A monthly price of <paramref name="amount"/> cents on a new product.</summary>
    public async Task<string> CreateMonthlyPriceAsync(long amount = 2900)
    {
        var product = await PostAsync("/v1/products", ("name", "Pro " + Guid.NewGuid().ToString("N")[..6]));
        var price = await PostAsync("/v1/prices", ("product", product.GetProperty("id").GetString()!), ("unit_amount", amount.ToString()),
            ("currency", "usd"), ("recurring[interval]", "month"));
        return price.GetProperty("id").GetString()!;
    }

    /// <summary>A subscription checkout for <paramref name="appId"/>, paid through the test helper; returns the completed session.</summary>
    public async Task<JsonElement> CompleteSubscriptionCheckoutAsync(string appId, string priceId, string card = "4242424242424242")
    {
        var session = await PostAsync("/v1/checkout/sessions",
            ("mode", "subscription"), ("line_items[0][price]", priceId), ("line_items[0][quantity]", "1"),
            ("success_url", "https://app.example/done"), ("metadata[app_id]", appId), ("subscription_data[metadata][app_id]", appId));
        return await PostAsync($"/v1/test_helpers/checkout/sessions/{session.GetProperty("id").GetString()}/complete", ("card", card));
    }

    /// <summary>A one-time payment checkout of <paramref name="amount"/> cents; <paramref name="manualCapture"/> leaves it authorized only.</summary>
    public async Task<JsonElement> CompletePaymentCheckoutAsync(string appId, long amount, bool manualCapture = false, string card = "4242424242424242")
    {
        var product = await PostAsync("/v1/products", ("name", "Order " + Guid.NewGuid().ToString("N")[..6]));
        var price = await PostAsync("/v1/prices", ("product", product.GetProperty("id").GetString()!), ("unit_amount", amount.ToString()), ("currency", "usd"));
        var session = await PostAsync("/v1/checkout/sessions",
            ("mode", "payment"), ("line_items[0][price]", price.GetProperty("id").GetString()!), ("line_items[0][quantity]", "1"),
            ("success_url", "https://app.example/done"), ("metadata[app_id]", appId), ("payment_intent_data[metadata][app_id]", appId),
            ("payment_intent_data[capture_method]", manualCapture ? "manual" : "automatic"));
        return await PostAsync($"/v1/test_helpers/checkout/sessions/{session.GetProperty("id").GetString()}/complete", ("card", card));
    }

    /// <summary>A checkout session of <paramref name="appId"/> that is never paid.</summary>
    public async Task<JsonElement> OpenSubscriptionCheckoutAsync(string appId, string priceId) =>
        await PostAsync("/v1/checkout/sessions",
            ("mode", "subscription"), ("line_items[0][price]", priceId), ("line_items[0][quantity]", "1"),
            ("success_url", "https://app.example/done"), ("metadata[app_id]", appId));

    /// <summary>Sets the delivery chaos switches (duplicates, shuffling, drops).</summary>
    public Task<JsonElement> ChaosAsync(params (string Key, string Value)[] switches) => PostAsync("/v1/test_helpers/webhooks/chaos", switches);

    /// <summary>
    /// Waits until each of <paramref name="eventIds"/> had a delivery attempt. Deliveries leave from a queue, so under
    /// load an event can still be waiting in it after the call that created it returned, and be sent under whatever
    /// chaos switches hold by then.
    /// </summary>
    public async Task WaitAttemptedAsync(IReadOnlyCollection<string> eventIds, TimeSpan timeout)
    {
        var log = _app.Services.GetRequiredService<DeliveryLog>();
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var attempted = log.Snapshot().Select(d => d.EventId).ToHashSet();
            var waiting = eventIds.Where(id => !attempted.Contains(id)).ToList();
            if (waiting.Count == 0) return;
            if (DateTime.UtcNow > deadline) Assert.Fail($"{waiting.Count} of {eventIds.Count} events were never sent, e.g. {waiting[0]}");
            await Task.Delay(50);
        }
    }

    /// <summary>Every event the sandbox recorded since <paramref name="since"/>, platform only.</summary>
    public async Task<List<JsonElement>> EventsSinceAsync(DateTimeOffset since)
    {
        var all = new List<JsonElement>();
        string? after = null;
        while (true)
        {
            var page = await GetAsync($"/v1/events?limit=100&created[gte]={since.ToUnixTimeSeconds()}" + (after is null ? "" : $"&starting_after={after}"));
            var data = page.GetProperty("data").EnumerateArray().ToList();
            all.AddRange(data);
            if (!page.GetProperty("has_more").GetBoolean() || data.Count == 0) return all;
            after = data[^1].GetProperty("id").GetString();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
