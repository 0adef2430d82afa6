using Billing.ServiceDefaults.Data;
using Billing.ServiceDefaults.Messaging;
using Billing.Subscriptions.Model;
using Microsoft.EntityFrameworkCore;

namespace Billing.Subscriptions.Infrastructure;

public sealed class SubscriptionsDbContext(DbContextOptions<SubscriptionsDbContext> options) : DbContext(options)
{
    public DbSet<Subscription> Subscriptions => Set<Subscription>();
    public DbSet<Customer> Customers => Set<Customer>();
    public DbSet<CatalogPlan> Plans => Set<CatalogPlan>();
    public DbSet<CatalogPrice> Prices => Set<CatalogPrice>();
    public DbSet<CheckoutSession> CheckoutSessions => Set<CheckoutSession>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.HasDefaultSchema(SubscriptionsService.Name);
        model.ApplyConfiguration(new SubscriptionConfiguration());
        model.ApplyConfiguration(new CustomerConfiguration());
        model.ApplyConfiguration<CatalogPlan>(new CatalogPlanConfiguration());
        model.ApplyConfiguration<CatalogPrice>(new CatalogPlanConfiguration());
        model.ApplyConfiguration(new CheckoutSessionConfiguration());
        model.AddMessagingTables();
        model.UseSnakeCaseNames();
    }

    /// <summary>
    /// Serializes, until the current transaction ends, everyone working on the same thing (a Stripe
    /// subscription, a plan, a customer): the second waits and then sees the first one's result.
    /// </summary>
    public Task LockAsync(string key, CancellationToken ct) =>
        Database.ExecuteSqlRawAsync("select pg_advisory_xact_lock(hashtextextended({0}, 0))", [key], ct);
}
