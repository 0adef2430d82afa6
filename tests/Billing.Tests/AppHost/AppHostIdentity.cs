using System.Security.Cryptography;
using System.Text.Json;
using Billing.ServiceDefaults.Security;

namespace Billing.Tests.AppHost;

/// <summary>
/// Signs a caller identity with the key the AppHost generated for the run (in its secrets file),
/// as the gateway would, so a test can call a service directly.
/// </summary>
public static class AppHostIdentity
{
    public static string SecretKeyToken(string dataDirectory, string appId)
    {
        var secrets = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(Path.Combine(dataDirectory, "secrets.json")))!;
        using var key = ECDsa.Create();
        key.ImportPkcs8PrivateKey(Convert.FromBase64String(secrets["identity-signing-key"]), out _);
        return IdentityToken.Sign(new CallerIdentity
        {
            Kind = CallerKind.SecretKey, KeyId = "key_apphost_test", AppId = appId, AccountId = "dev_apphost_test",
            Scopes = [CallerIdentity.AllScopes], ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(5),
        }, key);
    }

    /// <summary>GET <paramref name="url"/> as a full secret key of <paramref name="appId"/>.</summary>
    public static Task<HttpResponseMessage> GetAsync(HttpClient http, string dataDirectory, string appId, string url)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add(IdentityToken.Header, SecretKeyToken(dataDirectory, appId));
        return http.SendAsync(request);
    }
}
