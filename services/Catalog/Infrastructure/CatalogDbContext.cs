using Billing.Catalog.Model;
using Billing.ServiceDefaults.Data;
using Microsoft.EntityFrameworkCore;

namespace Billing.Catalog.Infrastructure;

public sealed class CatalogDbContext(DbContextOptions<CatalogDbContext> options) : DbContext(options)
{
    public DbSet<Plan> Plans => Set<Plan>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.HasDefaultSchema(CatalogService.Name);
        model.ApplyConfiguration(new PlanConfiguration());
        model.UseSnakeCaseNames();
    }
}
