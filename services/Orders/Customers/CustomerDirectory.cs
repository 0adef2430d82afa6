using Billing.Orders.Infrastructure;
using Billing.Orders.Model;
using Billing.Orders.Peers;
using Billing.ServiceDefaults.Api;
using Billing.ServiceDefaults.Errors;
using Microsoft.EntityFrameworkCore;

namespace Billing.Orders.Customers;

/// <summary>How a call names its customer: <c>customerId</c>, or <c>customerExternalId</c> (with <c>email</c>, created when missing).</summary>
public sealed record CustomerReference(string? CustomerId, string? CustomerExternalId, string? Email)
{
    public Validation Validate(Validation validation) =>
        validation.Check(CustomerId is not null || CustomerExternalId is not null, "customerId", "customerId or customerExternalId is required.")
            .Text(CustomerId, "customerId", 100, required: false)
            .Text(CustomerExternalId, "customerExternalId", 200, required: false)
            .Text(Email, "email", 320, required: false);
}

/// <summary>
/// Orders' own customers, keyed (app, externalId). Subscriptions publishes no customer events, so
/// Orders keeps this small mirror rather than calling another service on every payment: a customer
/// named by <c>customerExternalId</c> + <c>email</c> is found or made here. A <c>customerId</c> unknown here is
/// looked up in Subscriptions (as the caller) and mirrored under the same id; otherwise it is 404.
/// </summary>
public sealed class CustomerDirectory(OrdersDbContext db, SubscriptionsCustomers subscriptions)
{
    public async Task<Customer> ResolveAsync(string appId, CustomerReference reference, CancellationToken ct)
    {
        if (reference.CustomerId is { } id)
            return await db.Customers.AsNoTracking().SingleOrDefaultAsync(c => c.AppId == appId && c.Id == id, ct)
                ?? await MirrorAsync(appId, id, ct)
                ?? throw ApiException.NotFound("The customer");
        var externalId = reference.CustomerExternalId ?? throw ApiException.Validation("customerId", "customerId or customerExternalId is required.");
        if (await FindAsync(appId, externalId, ct) is { } existing) return existing;
        if (reference.Email is null) throw ApiException.UnknownCustomer();
        // ON CONFLICT DO NOTHING: of concurrent creates one inserts, the others then read its row.
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            insert into orders.customers (id, app_id, external_id, email, created_at)
            values ({Ids.New("cus")}, {appId}, {externalId}, {reference.Email}, {DateTimeOffset.UtcNow})
            on conflict (app_id, external_id) do nothing
            """, ct);
        return await FindAsync(appId, externalId, ct) ?? throw new InvalidOperationException("The customer vanished.");
    }

    // A customer of Subscriptions keeps its id here. Its external id may already name a customer made
    // here earlier (another id): then that one stays, and this id remains unknown to Orders.
    private async Task<Customer?> MirrorAsync(string appId, string customerId, CancellationToken ct)
    {
        if (await subscriptions.FindAsync(appId, customerId, ct) is not { } found || found.Id != customerId) return null;
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            insert into orders.customers (id, app_id, external_id, email, created_at)
            values ({found.Id}, {appId}, {found.ExternalId}, {found.Email}, {DateTimeOffset.UtcNow})
            on conflict do nothing
            """, ct);
        return await db.Customers.AsNoTracking().SingleOrDefaultAsync(c => c.AppId == appId && c.Id == customerId, ct);
    }

    private Task<Customer?> FindAsync(string appId, string externalId, CancellationToken ct) =>
        db.Customers.AsNoTracking().SingleOrDefaultAsync(c => c.AppId == appId && c.ExternalId == externalId, ct);
}
