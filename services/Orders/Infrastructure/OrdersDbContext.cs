using Billing.Orders.Model;
using Billing.ServiceDefaults.Data;
using Microsoft.EntityFrameworkCore;

namespace Billing.Orders.Infrastructure;

public sealed class OrdersDbContext(DbContextOptions<OrdersDbContext> options) : DbContext(options)
{
    public DbSet<Order> Orders => Set<Order>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.HasDefaultSchema(OrdersService.Name);
        model.ApplyConfiguration(new OrderConfiguration());
        model.UseSnakeCaseNames();
    }
}
