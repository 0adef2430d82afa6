using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Billing.Benchmarks.Infrastructure;

/// <summary>A developer account with one app and a full secret test key, made through the gateway's management API as the operator.</summary>
public sealed record BenchTenant(string AccountId, string AppId, string KeyId, string Secret)
{
    public static async Task<BenchTenant> CreateAsync(Uri gateway, string operatorKey, params string[] redirectOrigins)
    {
        using var client = Client(gateway);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", operatorKey);
        var account = await CreatedAsync(await client.PostAsJsonAsync("/v1/accounts", new { email = "bench@example.com", name = "Bench" }));
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", account.GetProperty("token").GetString());
        var app = await CreatedAsync(await client.PostAsJsonAsync("/v1/apps", new { name = "Bench", redirectOrigins }));
        var appId = app.GetProperty("id").GetString()!;
        var key = await CreatedAsync(await client.PostAsJsonAsync($"/v1/apps/{appId}/keys", new { type = "secret", mode = "test", name = "bench" }));
        return new BenchTenant(account.GetProperty("id").GetString()!, appId, key.GetProperty("id").GetString()!, key.GetProperty("secret").GetString()!);
    }

    /// <summary>A client of the gateway calling with this app's secret key.</summary>
    public HttpClient KeyClient(Uri gateway)
    {
        var client = Client(gateway);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Secret);
        return client;
    }

    /// <summary>A pooled client for loopback load: many connections, never recycled mid-run.</summary>
    public static HttpClient Client(Uri address) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = Timeout.InfiniteTimeSpan }) { BaseAddress = address };

    /// <summary>The body of a 201, or an exception with the status and body.</summary>
    public static async Task<JsonElement> CreatedAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            if ((int)response.StatusCode != 201) throw new InvalidOperationException($"Expected 201, got {(int)response.StatusCode}: {body}");
            return JsonDocument.Parse(body).RootElement.Clone();
        }
    }
}
