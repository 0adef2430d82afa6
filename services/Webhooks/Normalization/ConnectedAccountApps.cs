using System.Collections.Concurrent;
using Billing.Stripe;
using Billing.Webhooks.Ingest;
using Stripe;
using Npgsql;

namespace Billing.Webhooks.Normalization;

/// <summary>
/// The app a connected account belongs to, for events on that account whose object carries no
/// <c>app_id</c> of its own (a charge Stripe made, a payout). The account itself carries it: the
/// Connect service creates every account with <c>metadata[app_id]</c>. Learned from the account's
/// own events, else read from Stripe once; kept in <c>connected_account_apps</c> and in memory
/// (an account never changes app).
/// </summary>
public sealed class ConnectedAccountApps(NpgsqlDataSource dataSource, IServiceScopeFactory scopes, ILogger<ConnectedAccountApps> logger)
{
    private const string Table = WebhooksService.Name + ".connected_account_apps";
    private readonly ConcurrentDictionary<string, string> _known = new();

    /// <summary>The app of the event: from its object's metadata, else from its connected account; null when neither says.</summary>
    public async Task<string?> AppOfAsync(SnapshotEvent stripeEvent, CancellationToken ct)
    {
        var fromObject = StripeEventNormalizer.AppIdOf(stripeEvent);
        if (stripeEvent.Account is not { Length: > 0 } account) return fromObject;
        if (fromObject is not null)
        {
            // An account's own event is the authority on its app.
            if (IsAccountItself(stripeEvent, account)) await RememberAsync(account, fromObject, ct);
            return fromObject;
        }
        return await FindAsync(account, ct);
    }

    private async Task<string?> FindAsync(string account, CancellationToken ct)
    {
        if (_known.TryGetValue(account, out var known)) return known;
        await using (var select = dataSource.CreateCommand($"select app_id from {Table} where account = $1"))
        {
            select.Parameters.Add(new NpgsqlParameter { Value = account });
            if (await select.ExecuteScalarAsync(ct) is string stored) return _known[account] = stored;
        }
        var fromStripe = await ReadFromStripeAsync(account, ct);
        if (fromStripe is not null) await RememberAsync(account, fromStripe, ct);
        return fromStripe;
    }

    private async Task<string?> ReadFromStripeAsync(string account, CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var stripe = scope.ServiceProvider.GetRequiredService<StripeClient>();
            return StripeConventions.AppIdOf(await stripe.V1.Accounts.GetAsync(account, cancellationToken: ct));
        }
        catch (Exception e) when (StripeErrors.IsStripeFailure(e) && !ct.IsCancellationRequested)
        {
            // Not a reason to refuse the event: it is stored with its account, and a later event or a replay attributes it.
            logger.LogWarning("Could not read connected account {Account} from Stripe to find its app: {Error}", account, e.Message);
            return null;
        }
    }

    private async Task RememberAsync(string account, string appId, CancellationToken ct)
    {
        if (_known.TryGetValue(account, out var known) && known == appId) return;
        await using var upsert = dataSource.CreateCommand($"""
            insert into {Table} (account, app_id, updated_at) values ($1, $2, now())
            on conflict (account) do update set app_id = excluded.app_id, updated_at = now()
            """);
        upsert.Parameters.Add(new NpgsqlParameter { Value = account });
        upsert.Parameters.Add(new NpgsqlParameter { Value = appId });
        await upsert.ExecuteNonQueryAsync(ct);
        _known[account] = appId;
    }

    private static bool IsAccountItself(SnapshotEvent stripeEvent, string account) =>
        new StripeObject(stripeEvent.Object) is var obj && obj.String("object") == "account" && obj.String("id") == account;
}
