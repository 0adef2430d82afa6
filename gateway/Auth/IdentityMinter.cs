using System.Collections.Concurrent;
using System.Security.Cryptography;
using Billing.ServiceDefaults.Security;
using Microsoft.Extensions.Options;

namespace Billing.Gateway.Auth;

/// <summary>
/// Signs the <see cref="CallerIdentity"/> forwarded to services. A token lives
/// <see cref="Lifetime"/> and is reused for the first half of it while the caller's rights are
/// unchanged, so signing (about 50 µs) is not paid per request; the services cache verification the same way.
/// </summary>
public sealed class IdentityMinter(IOptions<IdentitySigningOptions> options, TimeProvider time) : IDisposable
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(2);

    private const int MaxRemembered = 50_000;
    private readonly ECDsa _signingKey = IdentityToken.ImportSigningKey(options.Value.SigningKey);
    private readonly ConcurrentDictionary<string, (Credential For, string Token, DateTimeOffset ExpiresAt)> _tokens = new(StringComparer.Ordinal);

    public string TokenFor(Credential credential)
    {
        var now = time.GetUtcNow();
        if (_tokens.TryGetValue(credential.KeyId, out var known) && known.For.SameRightsAs(credential) && known.ExpiresAt - now > Lifetime / 2)
            return known.Token;
        var expiresAt = now + Lifetime;
        var token = IdentityToken.Sign(credential.ToIdentity(expiresAt), _signingKey);
        if (_tokens.Count >= MaxRemembered) _tokens.Clear();
        _tokens[credential.KeyId] = (credential, token, expiresAt);
        return token;
    }

    public void Dispose() => _signingKey.Dispose();
}
