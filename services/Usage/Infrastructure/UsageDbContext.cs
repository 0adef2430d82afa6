using Billing.ServiceDefaults.Data;
using Billing.ServiceDefaults.Messaging;
using Billing.Usage.Model;
using Microsoft.EntityFrameworkCore;

namespace Billing.Usage.Infrastructure;

public sealed class UsageDbContext(DbContextOptions<UsageDbContext> options) : DbContext(options)
{
    public DbSet<Meter> Meters => Set<Meter>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.HasDefaultSchema(UsageService.Name);
        model.Entity<Meter>(meter =>
        {
            meter.ToTable("meters");
            meter.Property<long>("Seq");
            meter.HasKey("Seq");
            meter.Property(m => m.Aggregation).HasConversion<string>();
        });
        model.AddMessagingTables();
        model.UseSnakeCaseNames();
    }
}
