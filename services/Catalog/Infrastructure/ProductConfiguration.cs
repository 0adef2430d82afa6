using Billing.Catalog.Model;
using Billing.ServiceDefaults.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Billing.Catalog.Infrastructure;

internal sealed class ProductConfiguration : IEntityTypeConfiguration<Product>
{
    public void Configure(EntityTypeBuilder<Product> product)
    {
        product.ToTable("products");
        product.HasKey(p => p.Id);
        product.Property(p => p.StripeSyncStatus).HasConversion<string>();
        product.Property(p => p.Metadata).HasJsonbConversion();
        product.Ignore(p => p.Sellable);
        product.Ignore(p => p.CurrentPrice);
        product.HasMany(p => p.Prices).WithOne().HasForeignKey(p => p.ProductId);
        product.HasIndex(p => new { p.AppId, p.Id });
    }
}
