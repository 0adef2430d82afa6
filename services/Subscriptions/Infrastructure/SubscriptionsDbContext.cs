using Billing.ServiceDefaults.Data;
using Billing.Subscriptions.Model;
using Microsoft.EntityFrameworkCore;

namespace Billing.Subscriptions.Infrastructure;

public sealed class SubscriptionsDbContext(DbContextOptions<SubscriptionsDbContext> options) : DbContext(options)
{
    public DbSet<Subscription> Subscriptions => Set<Subscription>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.HasDefaultSchema(SubscriptionsService.Name);
        model.ApplyConfiguration(new SubscriptionConfiguration());
        model.UseSnakeCaseNames();
    }
}
