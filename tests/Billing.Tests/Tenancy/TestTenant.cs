using System.Net.Http.Json;
using System.Text.Json;
using Billing.Tests.Gateway;

namespace Billing.Tests.Tenancy;

/// <summary>A developer account with one app and a full secret test key, made through the management API.</summary>
public sealed record TestTenant(string AccountId, string AccountToken, string AppId, string KeyId, string SecretKey)
{
    /// <summary>A new account (as the operator), its app and a full secret key; each test makes its own.</summary>
    public static async Task<TestTenant> CreateAsync(TestGateway gateway, params string[] redirectOrigins)
    {
        using var operatorClient = gateway.ClientWith(TestGateway.OperatorKey);
        var account = await ReadCreated(await operatorClient.PostAsJsonAsync("/v1/accounts",
            new { email = $"dev-{Guid.NewGuid():N}@example.com", name = "Test developer" }));
        var token = account.GetProperty("token").GetString()!;

        using var accountClient = gateway.ClientWith(token);
        var app = await ReadCreated(await accountClient.PostAsJsonAsync("/v1/apps", new { name = "Test app", redirectOrigins }));
        var appId = app.GetProperty("id").GetString()!;
        var key = await CreateKeyAsync(gateway, token, appId, "secret", "test");
        return new TestTenant(account.GetProperty("id").GetString()!, token, appId, key.GetProperty("id").GetString()!, key.GetProperty("secret").GetString()!);
    }

    /// <summary>Another key of this tenant's app; the answer includes its secret.</summary>
    public Task<JsonElement> CreateKeyAsync(TestGateway gateway, string type = "secret", string mode = "test", params string[] scopes) =>
        CreateKeyAsync(gateway, AccountToken, AppId, type, mode, scopes);

    public HttpClient AccountClient(TestGateway gateway) => gateway.ClientWith(AccountToken);

    public HttpClient KeyClient(TestGateway gateway) => gateway.ClientWith(SecretKey);

    private static async Task<JsonElement> CreateKeyAsync(TestGateway gateway, string token, string appId, string type, string mode, params string[] scopes)
    {
        using var client = gateway.ClientWith(token);
        return await ReadCreated(await client.PostAsJsonAsync($"/v1/apps/{appId}/keys",
            new { type, mode, name = $"{type} {mode}", scopes = scopes.Length == 0 ? null : scopes }));
    }

    private static async Task<JsonElement> ReadCreated(HttpResponseMessage response)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode == 201, $"Expected 201, got {(int)response.StatusCode}: {body}");
            return JsonDocument.Parse(body).RootElement.Clone();
        }
    }
}
