using Billing.Catalog.Model;
using Billing.ServiceDefaults.Data;
using Billing.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Billing.Catalog.Infrastructure;

public sealed class CatalogDbContext(DbContextOptions<CatalogDbContext> options) : DbContext(options)
{
    public DbSet<Plan> Plans => Set<Plan>();
    public DbSet<Product> Products => Set<Product>();
    public DbSet<Price> Prices => Set<Price>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.HasDefaultSchema(CatalogService.Name);
        model.ApplyConfiguration(new PlanConfiguration());
        model.ApplyConfiguration(new ProductConfiguration());
        model.ApplyConfiguration(new PriceConfiguration());
        model.AddMessagingTables();
        model.UseSnakeCaseNames();
    }
}
