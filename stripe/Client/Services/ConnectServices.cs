namespace Billing.Stripe;

/// <summary><c>/v1/accounts</c> (Connect).</summary>
public sealed class AccountService : StripeService
{
    internal AccountService(IStripeClient client) : base(client) { }

    public Task<Account> CreateAsync(AccountCreateRequest request, RequestOptions? options = null, CancellationToken ct = default) =>
        PostAsync<Account>("v1/accounts", request, options, ct);

    public Task<Account> GetAsync(string id, RequestOptions? options = null, CancellationToken ct = default) =>
        GetAsync<Account>($"v1/accounts/{Segment(id)}", null, options, ct);

    /// <summary>The platform's connected accounts, newest first.</summary>
    public Task<StripeList<Account>> ListAsync(PageRequest? request = null, RequestOptions? options = null, CancellationToken ct = default) =>
        GetAsync<StripeList<Account>>("v1/accounts", request, options, ct);

    public IAsyncEnumerable<Account> ListAutoPagingAsync(PageRequest? request = null, RequestOptions? options = null, CancellationToken ct = default) =>
        AutoPageAsync<Account, PageRequest>("v1/accounts", request, options, ct);
}

/// <summary><c>/v1/account_links</c>: single-use onboarding links.</summary>
public sealed class AccountLinkService : StripeService
{
    internal AccountLinkService(IStripeClient client) : base(client) { }

    public Task<AccountLink> CreateAsync(AccountLinkCreateRequest request, RequestOptions? options = null, CancellationToken ct = default) =>
        PostAsync<AccountLink>("v1/account_links", request, options, ct);
}

/// <summary><c>/v1/transfers</c>: moves platform balance to a connected account.</summary>
public sealed class TransferService : StripeService
{
    internal TransferService(IStripeClient client) : base(client) { }

    public Task<Transfer> CreateAsync(TransferCreateRequest request, RequestOptions? options = null, CancellationToken ct = default) =>
        PostAsync<Transfer>("v1/transfers", request, options, ct);

    public Task<Transfer> GetAsync(string id, RequestOptions? options = null, CancellationToken ct = default) =>
        GetAsync<Transfer>($"v1/transfers/{Segment(id)}", null, options, ct);

    public Task<StripeList<Transfer>> ListAsync(TransferListRequest? request = null, RequestOptions? options = null, CancellationToken ct = default) =>
        GetAsync<StripeList<Transfer>>("v1/transfers", request, options, ct);

    public IAsyncEnumerable<Transfer> ListAutoPagingAsync(TransferListRequest? request = null, RequestOptions? options = null, CancellationToken ct = default) =>
        AutoPageAsync<Transfer, TransferListRequest>("v1/transfers", request, options, ct);
}
