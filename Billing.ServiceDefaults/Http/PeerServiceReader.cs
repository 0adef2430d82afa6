using System.Net.Http.Json;
using Billing.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Billing.ServiceDefaults.Http;

/// <summary>What a peer answered: <see cref="Value"/> when it had the resource; <see cref="Answered"/> false when it could not be asked.</summary>
public readonly record struct PeerAnswer<T>(bool Answered, T? Value) where T : class;

/// <summary>
/// A read from another service (its base address by service discovery) made as the current caller, with the
/// caller's own signed identity: a key without the scope that route asks, or another app's id, finds nothing.
/// </summary>
public abstract class PeerServiceReader(HttpClient http, IHttpContextAccessor context, ILogger logger)
{
    /// <summary>The resource, or null when the peer has none for this caller or could not be asked: the caller's answer is then what it would have been without the read.</summary>
    protected async Task<T?> GetAsCallerAsync<T>(string path, CancellationToken ct) where T : class =>
        (await AskAsCallerAsync<T>(path, ct)).Value;

    /// <summary>The same read, telling "the peer said it has none" from "the peer could not be asked" (unreachable, too slow, failing).</summary>
    protected async Task<PeerAnswer<T>> AskAsCallerAsync<T>(string path, CancellationToken ct) where T : class
    {
        var identity = context.HttpContext?.Request.Headers[IdentityToken.Header].ToString();
        if (string.IsNullOrEmpty(identity)) return new(false, null);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add(IdentityToken.Header, identity);
            using var response = await http.SendAsync(request, ct);
            if (response.IsSuccessStatusCode) return new(true, await response.Content.ReadFromJsonAsync<T>(ct));
            if ((int)response.StatusCode >= 500) throw new HttpRequestException($"{(int)response.StatusCode} from the peer", null, response.StatusCode);
            return new(true, null);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning(e, "Could not read {Path} from {Service}", path, http.BaseAddress);
            return new(false, null);
        }
    }
}
