using System.Net.Http.Json;
using Billing.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Billing.ServiceDefaults.Http;

/// <summary>
/// A read from another service (its base address by service discovery) made as the current caller, with the
/// caller's own signed identity: a key without the scope that route asks, or another app's id, finds nothing.
/// Any failure (not found, no scope, the service unreachable) is "nothing found": the caller's answer is then
/// what it would have been without the read.
/// </summary>
public abstract class PeerServiceReader(HttpClient http, IHttpContextAccessor context, ILogger logger)
{
    protected async Task<T?> GetAsCallerAsync<T>(string path, CancellationToken ct) where T : class
    {
        var identity = context.HttpContext?.Request.Headers[IdentityToken.Header].ToString();
        if (string.IsNullOrEmpty(identity)) return null;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add(IdentityToken.Header, identity);
            using var response = await http.SendAsync(request, ct);
            return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<T>(ct) : null;
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning(e, "Could not read {Path} from {Service}", path, http.BaseAddress);
            return null;
        }
    }
}
