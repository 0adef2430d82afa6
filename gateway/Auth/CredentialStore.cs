using System.Collections.Concurrent;
using System.Security.Cryptography;
using Billing.ServiceDefaults.Security;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Billing.Gateway.Auth;

/// <summary>
/// Finds the caller behind a bearer secret. Found credentials are remembered for
/// <see cref="CacheLifetime"/> so most requests skip the database; that lifetime is the promise
/// made for revocation: a revoked key stops working on every replica within it, with no
/// cross-replica messaging to go wrong. Unknown secrets are remembered as unknown just as long, in a
/// separate bounded set (a client stuck on a revoked key costs one lookup per lifetime, and a flood
/// of made-up keys cannot push real ones out). Remembering a miss is safe: a secret cannot become
/// valid later, since new secrets are random.
/// The same lookup tells whether the account behind the secret owes its platform subscription
/// (<see cref="Credential.PaymentRequired"/>, from the projection the gateway keeps of the
/// Subscriptions service's events), so that too takes effect within the lifetime, at no extra query.
/// </summary>
public sealed class CredentialStore(NpgsqlDataSource database, IOptions<GatewayOptions> options, TimeProvider time)
{
    /// <summary>How long a found credential is trusted without asking the database again (revocation delay).</summary>
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(4);

    private const int MaxRemembered = 50_000;
    private readonly byte[] _operatorKeyHash = Secrets.Hash(options.Value.OperatorKey);
    private readonly ConcurrentDictionary<string, (Credential Credential, DateTimeOffset Until)> _found = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _missed = new(StringComparer.Ordinal);

    /// <summary>The caller, or null when the secret is unknown, revoked or expired.</summary>
    public async ValueTask<Credential?> FindAsync(string secret, CancellationToken ct)
    {
        var hash = Secrets.Hash(secret);
        if (Secrets.LooksLikeOperatorKey(secret))
            return CryptographicOperations.FixedTimeEquals(hash, _operatorKeyHash) ? Credential.Operator : null;
        var isAppKey = Secrets.LooksLikeAppKey(secret);
        if (!isAppKey && !Secrets.LooksLikeAccountToken(secret)) return null;

        var now = time.GetUtcNow();
        var cacheKey = Convert.ToHexString(hash);
        if (!_found.TryGetValue(cacheKey, out var entry) || entry.Until <= now)
        {
            if (_missed.TryGetValue(cacheKey, out var missedUntil) && missedUntil > now) return null;
            var credential = isAppKey ? await FindAppKeyAsync(hash, ct) : await FindAccountAsync(hash, ct);
            if (credential is null)
            {
                _found.TryRemove(cacheKey, out _);
                Remember(_missed, cacheKey, now + CacheLifetime);
                return null;
            }
            entry = (credential, now + CacheLifetime);
            Remember(_found, cacheKey, entry);
        }
        // A rolled key's grace period ends at its exact time, cached or not.
        return entry.Credential.ExpiresAt is { } expires && expires <= now ? null : entry.Credential;
    }

    // Bounded: past the limit everything is forgotten at once, which costs a lookup per secret, never a wrong answer.
    private static void Remember<T>(ConcurrentDictionary<string, T> cache, string key, T value)
    {
        if (cache.Count >= MaxRemembered) cache.Clear();
        cache[key] = value;
    }

    private async Task<Credential?> FindAppKeyAsync(byte[] hash, CancellationToken ct)
    {
        await using var command = database.CreateCommand($"""
            select k.id, k.app_id, k.type, k.mode, k.scopes, k.secret_hash, k.expires_at, a.account_id, a.redirect_origins, a.rate_limit,
                   {PaymentRequired("a.account_id")}
              from gateway.api_keys k join gateway.apps a on a.id = k.app_id
             where k.secret_hash = @hash and k.revoked_at is null
            """);
        command.Parameters.AddWithValue("hash", hash);
        await using var row = await command.ExecuteReaderAsync(ct);
        // The index found the row by hash; the constant-time comparison keeps it so if the lookup ever changes.
        if (!await row.ReadAsync(ct) || !CryptographicOperations.FixedTimeEquals((byte[])row["secret_hash"], hash)) return null;

        var publishable = row.GetString(2) == "publishable";
        var scopes = (string[])row["scopes"];
        return new Credential(
            publishable ? CallerKind.PublishableKey : CallerKind.SecretKey,
            KeyId: row.GetString(0), AccountId: row.IsDBNull(7) ? null : row.GetString(7), AppId: row.GetString(1), Mode: row.GetString(3),
            Scopes: publishable ? [CallerIdentity.PublicCatalogScope] : scopes.Length == 0 ? [CallerIdentity.AllScopes] : scopes,
            RedirectOrigins: (string[])row["redirect_origins"], RateLimit: row.IsDBNull(9) ? null : row.GetInt32(9),
            ExpiresAt: row.IsDBNull(6) ? null : row.GetFieldValue<DateTimeOffset>(6), PaymentRequired: row.GetBoolean(10));
    }

    private async Task<Credential?> FindAccountAsync(byte[] hash, CancellationToken ct)
    {
        await using var command = database.CreateCommand(
            $"select id, token_hash, {PaymentRequired("id")} from gateway.accounts where token_hash = @hash");
        command.Parameters.AddWithValue("hash", hash);
        await using var row = await command.ExecuteReaderAsync(ct);
        if (!await row.ReadAsync(ct) || !CryptographicOperations.FixedTimeEquals((byte[])row["token_hash"], hash)) return null;
        var accountId = row.GetString(0);
        return new Credential(CallerKind.Account, KeyId: accountId, AccountId: accountId, AppId: null, Mode: "live",
            Scopes: [], RedirectOrigins: [], RateLimit: null, ExpiresAt: null, PaymentRequired: row.GetBoolean(2));
    }

    // One probe of the partial index of owing subscriptions, in the lookup's own query. The column
    // name is ours, never input.
    private static string PaymentRequired(string accountColumn) =>
        $"exists (select 1 from gateway.platform_subscriptions s where s.account_id = {accountColumn} and s.payment_required)";
}
