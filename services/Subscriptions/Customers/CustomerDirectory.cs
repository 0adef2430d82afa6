using Billing.ServiceDefaults.Api;
using Billing.ServiceDefaults.Errors;
using Billing.Stripe;
using Billing.Subscriptions.Infrastructure;
using Billing.Subscriptions.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using System.Text.Json;
using Stripe;
using Customer = Billing.Subscriptions.Model.Customer;

namespace Billing.Subscriptions.Customers;

/// <summary>How a call names its customer: <c>customerId</c>, or <c>customerExternalId</c> (with <c>email</c>, created when missing).</summary>
public sealed record CustomerReference(string? CustomerId, string? CustomerExternalId, string? Email)
{
    public void Validate(Validation validation) =>
        validation.Check(CustomerId is not null || CustomerExternalId is not null, "customerId", "customerId or customerExternalId is required.")
            .Text(CustomerExternalId, "customerExternalId", 200, required: false)
            .Text(Email, "email", 320, required: false);
}

/// <summary>Billing customers: find-or-create by the app's own id, and their Stripe customer, made once.</summary>
public sealed class CustomerDirectory(SubscriptionsDbContext db, StripeClient stripe, IOptions<SubscriptionsOptions> options)
{
    /// <summary>Metadata key that puts a customer's Stripe customer on a test clock (only with <see cref="SubscriptionsOptions.AllowTestClocks"/>).</summary>
    public const string TestClockKey = "stripe_test_clock";

    /// <summary>The app's customer with this external id, made when missing; <c>Created</c> says which. Concurrent calls get one row.</summary>
    public async Task<(Customer Customer, bool Created)> FindOrCreateAsync(
        string appId, string externalId, string? email, string? name, IReadOnlyDictionary<string, string>? metadata, CancellationToken ct)
    {
        if (await FindByExternalIdAsync(appId, externalId, ct) is { } existing) return (existing, false);
        // ON CONFLICT DO NOTHING: of concurrent creates one inserts, the others wait for it and then read its row
        // (no unique-violation error to catch and log). The table name is ours; every value is a parameter.
        // The row commits on its own, before any Stripe call: the Stripe customer's idempotency key is derived
        // from this id, so a checkout that fails after creating it and is retried finds the same row and key.
        var now = DateTimeOffset.UtcNow;
        var created = new Customer
        {
            Id = Ids.New("cus"), AppId = appId, ExternalId = externalId, Email = email, Name = name,
            Metadata = new Dictionary<string, string>(metadata ?? new Dictionary<string, string>()), 
            // Postgres keeps microseconds: the answer shows what a later read shows.
            CreatedAt = now.AddTicks(-(now.Ticks % 10)),
        };
        var json = JsonSerializer.Serialize(created.Metadata);
        var inserted = await db.Database.ExecuteSqlInterpolatedAsync($"""
            insert into subscriptions.customers (id, app_id, external_id, email, name, metadata, created_at)
            values ({created.Id}, {appId}, {externalId}, {email}, {name}, cast({json} as jsonb), {created.CreatedAt})
            on conflict (app_id, external_id) do nothing
            """, ct);
        if (inserted == 1)
        {
            // What was inserted is known: tracked as stored, without reading it back.
            db.Customers.Attach(created);
            return (created, true);
        }
        return (await FindByExternalIdAsync(appId, externalId, ct) ?? throw new InvalidOperationException("The customer vanished."), false);
    }

    public Task<Customer?> FindByExternalIdAsync(string appId, string externalId, CancellationToken ct) =>
        db.Customers.SingleOrDefaultAsync(c => c.AppId == appId && c.ExternalId == externalId, ct);

    /// <summary>The customer a call names (404 when it does not exist in this app).</summary>
    public async Task<Customer> ResolveAsync(string appId, CustomerReference reference, CancellationToken ct)
    {
        if (reference.CustomerId is { } id)
            return await db.Customers.SingleOrDefaultAsync(c => c.AppId == appId && c.Id == id, ct) ?? throw ApiException.NotFound("The customer");
        var externalId = reference.CustomerExternalId ?? throw ApiException.Validation("customerId", "customerId or customerExternalId is required.");
        if (reference.Email is not null) return (await FindOrCreateAsync(appId, externalId, reference.Email, null, null, ct)).Customer;
        return await FindByExternalIdAsync(appId, externalId, ct) ?? throw ApiException.UnknownCustomer();
    }

    /// <summary>
    /// The one lock for everything about a customer's Stripe side (its Stripe customer, its checkouts), held until
    /// the current transaction ends: one key, so a checkout never waits on two locks and never takes them in two orders.
    /// </summary>
    public static string LockKey(Customer customer) => "customer:" + customer.Id;

    /// <summary>
    /// The customer's Stripe customer id, creating it on first need. Concurrent first calls queue on the
    /// customer's lock and the idempotency key derived from our id, so Stripe gets exactly one customer.
    /// </summary>
    public async Task<string> EnsureStripeCustomerAsync(Customer customer, CancellationToken ct)
    {
        if (customer.StripeCustomerId is { } known) return known;
        var owned = db.Database.CurrentTransaction is null;
        await using var transaction = owned ? await db.Database.BeginTransactionAsync(ct) : null;
        await db.LockAsync(LockKey(customer), ct);
        var stored = await db.Customers.AsNoTracking().Where(c => c.Id == customer.Id).Select(c => c.StripeCustomerId).SingleAsync(ct);
        if (stored is null)
        {
            stored = await CreateStripeCustomerAsync(customer, ct);
            // Conditional: never overwrites a Stripe customer once one is recorded.
            await db.Customers.Where(c => c.Id == customer.Id && c.StripeCustomerId == null)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.StripeCustomerId, stored), ct);
        }
        if (transaction is not null) await transaction.CommitAsync(ct);
        // Written by the conditional update above, not by a later SaveChanges.
        var entry = db.Entry(customer);
        customer.StripeCustomerId = stored;
        if (entry.State != EntityState.Detached) entry.Property(c => c.StripeCustomerId).OriginalValue = stored;
        return stored;
    }

    /// <summary>
    /// Creates the customer's Stripe customer (idempotency key <c>customer/{id}</c>: a retry gets the same one) and
    /// returns its id. Records nothing: the caller holds <see cref="LockKey"/>, has read no Stripe customer under it,
    /// and stores the id in its transaction.
    /// </summary>
    public async Task<string> CreateStripeCustomerAsync(Customer customer, CancellationToken ct)
    {
        var created = await stripe.V1.Customers.CreateAsync(new CustomerCreateOptions
        {
            Email = customer.Email,
            Name = customer.Name,
            Metadata = StripeConventions.AppMetadata(customer.AppId, new Dictionary<string, string>
            {
                ["customer_id"] = customer.Id, ["external_id"] = customer.ExternalId,
            }),
            TestClock = options.Value.AllowTestClocks && customer.Metadata.TryGetValue(TestClockKey, out var clock) ? clock : null,
        }, StripeConventions.Change(IdempotencyKeys.From("customer", customer.Id)), ct);
        return created.Id;
    }
}
