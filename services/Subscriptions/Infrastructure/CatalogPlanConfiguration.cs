using Billing.ServiceDefaults.Data;
using Billing.Subscriptions.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Billing.Subscriptions.Infrastructure;

internal sealed class CatalogPlanConfiguration : IEntityTypeConfiguration<CatalogPlan>, IEntityTypeConfiguration<CatalogPrice>
{
    public void Configure(EntityTypeBuilder<CatalogPlan> plan)
    {
        plan.ToTable("catalog_plans");
        plan.HasKey(p => p.Id);
        plan.Property(p => p.Metadata).HasJsonbConversion();
        plan.HasMany(p => p.Prices).WithOne().HasForeignKey(p => p.PlanId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<CatalogPrice> price)
    {
        price.ToTable("catalog_prices");
        price.HasKey(p => p.Id);
    }
}
