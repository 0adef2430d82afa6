using Billing.Connect.Infrastructure;
using Billing.Connect.Ledger;
using Billing.Connect.Model;
using Billing.ServiceDefaults.Api;
using Billing.ServiceDefaults.Errors;
using Microsoft.EntityFrameworkCore;

namespace Billing.Connect.Creators;

/// <summary>An app's creators: find-or-create by the app's own id, and look-ups that answer 404 across apps.</summary>
public sealed class CreatorDirectory(ConnectDbContext db, LedgerClock clock)
{
    /// <summary>The app's creator with this external id, made when missing; concurrent calls get one row.</summary>
    public async Task<(Creator Creator, bool Created)> FindOrCreateAsync(string appId, string externalId, string email, CancellationToken ct)
    {
        if (await FindByExternalIdAsync(appId, externalId, ct) is { } existing) return (existing, false);
        // ON CONFLICT DO NOTHING: of concurrent creates one inserts, the others wait for it and then read its row.
        var id = Ids.New("cr");
        var now = clock.Now;
        var inserted = await db.Database.ExecuteSqlInterpolatedAsync($"""
            insert into connect.creators (id, app_id, external_id, email, payout_frequency, created_at, updated_at)
            values ({id}, {appId}, {externalId}, {email}, 'manual', {now}, {now})
            on conflict (app_id, external_id) do nothing
            """, ct);
        var creator = await FindByExternalIdAsync(appId, externalId, ct) ?? throw new InvalidOperationException("The creator vanished.");
        return (creator, inserted == 1);
    }

    /// <summary>The creator of this app (404 for an unknown id or another app's creator).</summary>
    public async Task<Creator> GetAsync(string appId, string creatorId, CancellationToken ct) =>
        await db.Creators.SingleOrDefaultAsync(c => c.AppId == appId && c.Id == creatorId, ct) ?? throw ApiException.NotFound("The creator");

    /// <summary>The creator's Stripe Express account, once onboarding made one (shown in every creator response).</summary>
    public Task<string?> AccountIdAsync(string appId, string creatorId, CancellationToken ct) =>
        db.ConnectedAccounts.AsNoTracking().Where(a => a.AppId == appId && a.OwnerId == creatorId).Select(a => a.StripeAccountId).SingleOrDefaultAsync(ct);

    private Task<Creator?> FindByExternalIdAsync(string appId, string externalId, CancellationToken ct) =>
        db.Creators.SingleOrDefaultAsync(c => c.AppId == appId && c.ExternalId == externalId, ct);
}
