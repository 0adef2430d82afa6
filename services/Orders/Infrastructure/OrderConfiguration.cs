using Billing.Orders.Model;
using Billing.ServiceDefaults.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Billing.Orders.Infrastructure;

internal sealed class OrderConfiguration : IEntityTypeConfiguration<Order>
{
    public void Configure(EntityTypeBuilder<Order> order)
    {
        order.ToTable("orders");
        order.HasKey(o => o.Id);
        order.Property(o => o.Kind).HasConversion<string>();
        order.Property(o => o.Status).HasConversion<string>();
        order.Property(o => o.CaptureMethod).HasConversion<string>();
        order.Property(o => o.Metadata).HasJsonbConversion();
        order.Ignore(o => o.IsClosed);
        order.Ignore(o => o.IsCaptured);
    }
}
