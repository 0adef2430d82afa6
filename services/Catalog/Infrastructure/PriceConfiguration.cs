using Billing.Catalog.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Billing.Catalog.Infrastructure;

internal sealed class PriceConfiguration : IEntityTypeConfiguration<Price>
{
    public void Configure(EntityTypeBuilder<Price> price)
    {
        price.ToTable("prices");
        price.HasKey(p => p.Id);
        price.Property(p => p.Interval).HasConversion<string>();
    }
}
