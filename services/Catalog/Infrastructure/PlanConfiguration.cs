using Billing.Catalog.Model;
using Billing.ServiceDefaults.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Billing.Catalog.Infrastructure;

internal sealed class PlanConfiguration : IEntityTypeConfiguration<Plan>
{
    public void Configure(EntityTypeBuilder<Plan> plan)
    {
        plan.ToTable("plans");
        plan.HasKey(p => p.Id);
        plan.Property(p => p.StripeSyncStatus).HasConversion<string>();
        plan.Property(p => p.Limits).HasJsonbConversion();
        plan.Property(p => p.Metadata).HasJsonbConversion();
        plan.Ignore(p => p.Sellable);
        plan.Ignore(p => p.ShownPrice);
        plan.HasMany(p => p.Prices).WithOne().HasForeignKey(p => p.PlanId);
        plan.HasIndex(p => new { p.AppId, p.Id });
    }
}
