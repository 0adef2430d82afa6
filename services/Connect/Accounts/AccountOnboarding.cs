using Billing.Connect.Infrastructure;
using Billing.Connect.Model;
using Billing.ServiceDefaults.Api;
using Billing.Stripe;
using Microsoft.EntityFrameworkCore;
using Stripe;

namespace Billing.Connect.Accounts;

/// <summary>Whose Express account: the app's own (owner = the app id) or a creator's (owner = <c>cr_…</c>).</summary>
public sealed record AccountOwner(string AppId, string OwnerId, string? Email)
{
    public bool IsApp => OwnerId == AppId;
}

public sealed record OnboardingLink(string AccountId, string OnboardingUrl, DateTimeOffset ExpiresAt);

/// <summary>
/// Creates an owner's Express account once, whatever the number of concurrent or repeated calls, and
/// hands out fresh onboarding links for it.
/// </summary>
public sealed class AccountOnboarding(ConnectDbContext db, StripeClient stripe, AccountStates states)
{
    /// <summary>
    /// The owner's account, made on first need. Concurrent first calls queue on a lock of the owner and
    /// find the row the first one wrote; the Stripe create carries a key derived from the owner, so even a
    /// crash between Stripe's answer and our commit gets the same account back on the next call.
    /// </summary>
    public async Task<ConnectedAccount> EnsureAccountAsync(AccountOwner owner, CancellationToken ct)
    {
        if (await FindAsync(owner, ct) is { } existing) return existing;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var lockKey = $"connect-account:{owner.AppId}:{owner.OwnerId}";
        await db.Database.ExecuteSqlInterpolatedAsync($"select pg_advisory_xact_lock(hashtextextended({lockKey}, 0))", ct);
        if (await FindAsync(owner, ct) is { } made) return made;

        var metadata = owner.IsApp ? null : new Dictionary<string, string> { ["creator_id"] = owner.OwnerId };
        var created = await stripe.V1.Accounts.CreateAsync(new AccountCreateOptions
        {
            Type = "express",
            Country = "US",
            Email = owner.Email,
            Capabilities = new AccountCapabilitiesOptions
            {
                Transfers = new AccountCapabilitiesTransfersOptions { Requested = true },
                // The app's own account takes destination charges; a creator only receives transfers.
                CardPayments = owner.IsApp ? new AccountCapabilitiesCardPaymentsOptions { Requested = true } : null,
            },
            Metadata = StripeConventions.AppMetadata(owner.AppId, metadata),
        }, StripeConventions.Change(IdempotencyKeys.From("connect_account", owner.AppId, owner.OwnerId)), ct);

        var account = new ConnectedAccount
        {
            Id = Ids.New("ca"), AppId = owner.AppId, OwnerId = owner.OwnerId, StripeAccountId = created.Id,
        };
        db.ConnectedAccounts.Add(account);
        states.Apply(account, AccountStates.ToState(created), DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        // A new account is a change even with every flag false: Orders learns the account exists.
        if (account.Version == 0)
        {
            account.Version = 1;
            states.StageChanged(account);
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return account;
    }

    /// <summary>
    /// A fresh single-use onboarding link (Stripe's expire within minutes; the refresh URL calls onboard again
    /// for a new one). Not money: each call gets its own link, no idempotency key of ours.
    /// </summary>
    public async Task<OnboardingLink> LinkAsync(ConnectedAccount account, string returnUrl, string refreshUrl, CancellationToken ct)
    {
        var link = await stripe.V1.AccountLinks.CreateAsync(new AccountLinkCreateOptions
        {
            Account = account.StripeAccountId, Type = "account_onboarding", ReturnUrl = returnUrl, RefreshUrl = refreshUrl,
        }, cancellationToken: ct);
        return new OnboardingLink(account.StripeAccountId, link.Url, new DateTimeOffset(link.ExpiresAt, TimeSpan.Zero));
    }

    private Task<ConnectedAccount?> FindAsync(AccountOwner owner, CancellationToken ct) =>
        db.ConnectedAccounts.SingleOrDefaultAsync(a => a.AppId == owner.AppId && a.OwnerId == owner.OwnerId, ct);
}
