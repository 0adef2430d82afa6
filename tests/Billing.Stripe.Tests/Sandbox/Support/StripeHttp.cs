using Xunit;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Billing.Stripe.Tests.Sandbox.Support;

/// <summary>A raw Stripe-wire HTTP client for tests: form-encoded bodies in, JSON out, nothing hidden.</summary>
public sealed class StripeHttp(string baseUrl, string apiKey) : IDisposable
{
    readonly HttpClient http = new() { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };

    public string ApiKey { get; } = apiKey;

    /// <summary>Every JSON body this client received, for schema validation.</summary>
    public List<(string Path, JsonNode Body)> Seen { get; } = [];

    public sealed record Reply(int Status, JsonObject Body, HttpResponseMessage Raw)
    {
        public JsonNode? this[string key] => Body[key];
        public string Id => Body["id"]!.GetValue<string>();
        public string Header(string name) => Raw.Headers.TryGetValues(name, out var v) ? string.Join(",", v) : "";
    }

    public Task<Reply> Post(string path, params (string Key, string Value)[] form) => Send(HttpMethod.Post, path, form);
    public Task<Reply> Get(string path, params (string Key, string Value)[] query) => Send(HttpMethod.Get, path, query);
    public Task<Reply> Delete(string path) => Send(HttpMethod.Delete, path, []);

    public async Task<Reply> Send(HttpMethod method, string path, (string Key, string Value)[] form,
        string? idempotencyKey = null, string? account = null, string? authorization = "default")
    {
        var encoded = string.Join("&", form.Select(kv => Uri.EscapeDataString(kv.Key) + "=" + Uri.EscapeDataString(kv.Value)));
        var uri = method == HttpMethod.Post || encoded.Length == 0 ? path : path + (path.Contains('?') ? "&" : "?") + encoded;
        using var request = new HttpRequestMessage(method, uri);
        if (method == HttpMethod.Post)
            request.Content = new StringContent(encoded, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");
        if (authorization == "default") request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        else if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        if (account is not null) request.Headers.Add("Stripe-Account", account);
        var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var body = JsonNode.Parse(text)!.AsObject();
        lock (Seen) Seen.Add((path, body));
        return new Reply((int)response.StatusCode, body, response);
    }

    /// <summary>POST that must succeed; returns the object.</summary>
    public async Task<JsonObject> Create(string path, params (string, string)[] form)
    {
        var reply = await Post(path, form);
        Assert.True(reply.Status == 200, $"POST {path} -> {reply.Status}: {reply.Body.ToJsonString()}");
        return reply.Body;
    }

    public async Task<JsonObject> Fetch(string path, params (string, string)[] query)
    {
        var reply = await Get(path, query);
        Assert.True(reply.Status == 200, $"GET {path} -> {reply.Status}: {reply.Body.ToJsonString()}");
        return reply.Body;
    }

    /// <summary>Event types recorded for an object id, oldest first.</summary>
    public async Task<List<JsonObject>> EventsFor(string objectId, string? account = null)
    {
        var reply = await Send(HttpMethod.Get, "/v1/events", [("limit", "100")], account: account);
        return reply.Body["data"]!.AsArray().Select(e => e!.AsObject())
            .Where(e => e["data"]!["object"]!["id"]?.GetValue<string>() == objectId).Reverse().ToList();
    }

    public void Dispose() => http.Dispose();
}
