using Billing.Connect.Infrastructure;
using Billing.Connect.Model;
using Billing.Contracts.Connect;
using Billing.Contracts.Stripe;
using Billing.ServiceDefaults.Messaging;
using Billing.Stripe;
using Microsoft.EntityFrameworkCore;
using Stripe;

namespace Billing.Connect.Accounts;

/// <summary>
/// Keeps a connected account's flags as Stripe has them, whatever order its <c>account.updated</c>
/// events arrive in: a state older than the one held is dropped; one of the same second (Stripe's
/// <c>created</c> has no finer grain) is ambiguous, so the account is read from Stripe instead. Every
/// change of the app's own account is published (ConnectAccountChanged, outbox) with a growing version.
/// Stripe's times are compared with the wall clock here, never with the ledger's (testable) clock.
/// </summary>
public sealed class AccountStates(ConnectDbContext db, StripeClient stripe, ILogger<AccountStates> logger)
{
    /// <summary>Applies an <c>account.updated</c>; false when the account is not one of ours. Runs inside the caller's transaction.</summary>
    public async Task<bool> ApplyEventAsync(AccountState state, DateTimeOffset created, CancellationToken ct)
    {
        var account = await LockAsync(state.Id, ct);
        if (account is null) return false;
        if (account.StateAt is { } held && created <= held)
        {
            if (created < held) return true;
            state = ToState(await stripe.V1.Accounts.GetAsync(account.StripeAccountId, cancellationToken: ct));
        }
        Apply(account, state, created);
        account.LastEventAt = created > (account.LastEventAt ?? DateTimeOffset.MinValue) ? created : account.LastEventAt;
        return true;
    }

    /// <summary>
    /// The account, refreshed from Stripe while no event has come for it yet (a missed or late webhook
    /// must not leave the status stuck). Stripe unreachable: the stored state, logged.
    /// </summary>
    public async Task<ConnectedAccount?> CurrentAsync(string appId, string ownerId, CancellationToken ct)
    {
        var account = await db.ConnectedAccounts.AsNoTracking().SingleOrDefaultAsync(a => a.AppId == appId && a.OwnerId == ownerId, ct);
        if (account is null || account.LastEventAt is not null) return account;
        // The state read is at least as new as this second: an event of the same second is then re-read, not trusted.
        var readAt = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Account fromStripe;
        try
        {
            fromStripe = await stripe.V1.Accounts.GetAsync(account.StripeAccountId, cancellationToken: ct);
        }
        catch (Exception e) when (StripeErrors.IsStripeFailure(e) && !ct.IsCancellationRequested)
        {
            logger.LogWarning("Could not read connected account {Account} from Stripe: {Error}", account.StripeAccountId, e.Message);
            return account;
        }
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var locked = await LockAsync(account.StripeAccountId, ct);
        if (locked!.StateAt is null || readAt >= locked.StateAt) Apply(locked, ToState(fromStripe), readAt);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return locked;
    }

    /// <summary>Records a state and, for the app's own account, stages its change event; the caller saves.</summary>
    public void Apply(ConnectedAccount account, AccountState state, DateTimeOffset at)
    {
        if (account.Apply(state, at)) StageChanged(account);
    }

    public void StageChanged(ConnectedAccount account)
    {
        if (!account.IsAppAccount) return;
        db.AddOutboxMessage(new ConnectAccountChanged(Guid.NewGuid(), DateTimeOffset.UtcNow, account.AppId, account.StripeAccountId,
            account.DetailsSubmitted, account.ChargesEnabled, account.PayoutsEnabled, account.Version));
    }

    public static AccountState ToState(Account account) =>
        new(account.Id, account.ChargesEnabled, account.PayoutsEnabled, account.DetailsSubmitted, account.Requirements?.CurrentlyDue ?? []);

    private async Task<ConnectedAccount?> LockAsync(string stripeAccountId, CancellationToken ct) =>
        await db.ConnectedAccounts.FromSqlInterpolated($"select * from connect.connected_accounts where stripe_account_id = {stripeAccountId} for update")
            .SingleOrDefaultAsync(ct);
}
