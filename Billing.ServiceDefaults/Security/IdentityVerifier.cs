using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Billing.ServiceDefaults.Security;

/// <summary>
/// Verifies forwarded identities. A verified token is remembered until it expires: the gateway
/// reuses a token for a while, so most requests skip the signature check.
/// </summary>
public sealed class IdentityVerifier(IOptions<IdentityOptions> options, TimeProvider time) : IDisposable
{
    private const int MaxRemembered = 10_000;
    private readonly ECDsa _publicKey = IdentityToken.ImportPublicKey(options.Value.PublicKey);
    private readonly ConcurrentDictionary<string, CallerIdentity> _verified = new(StringComparer.Ordinal);

    public CallerIdentity? Verify(string? token)
    {
        if (string.IsNullOrEmpty(token)) return null;
        var now = time.GetUtcNow();
        if (_verified.TryGetValue(token, out var known))
        {
            if (known.ExpiresAt + IdentityToken.ClockSkew > now) return known;
            _verified.TryRemove(token, out _);
            return null;
        }
        var identity = IdentityToken.Verify(token, _publicKey, now);
        if (identity is null) return null;
        if (_verified.Count >= MaxRemembered) _verified.Clear();
        _verified[token] = identity;
        return identity;
    }

    public void Dispose() => _publicKey.Dispose();
}
