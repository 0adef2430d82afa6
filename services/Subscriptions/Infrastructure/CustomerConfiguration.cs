using Billing.ServiceDefaults.Data;
using Billing.Subscriptions.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Billing.Subscriptions.Infrastructure;

internal sealed class CustomerConfiguration : IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<Customer> customer)
    {
        customer.ToTable("customers");
        customer.HasKey(c => c.Id);
        customer.Property(c => c.Metadata).HasJsonbConversion();
        customer.HasIndex(c => new { c.AppId, c.ExternalId }).IsUnique();
    }
}
