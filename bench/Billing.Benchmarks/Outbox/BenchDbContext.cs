using Billing.ServiceDefaults.Data;
using Billing.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Billing.Benchmarks.Outbox;

public sealed class BenchOrder
{
    public long Id { get; init; }
    public long AmountCents { get; init; }
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
}

public sealed class BenchDbContext(DbContextOptions<BenchDbContext> options) : DbContext(options)
{
    public DbSet<BenchOrder> Orders => Set<BenchOrder>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.HasDefaultSchema(OutboxLatencyBenchmark.Schema);
        model.Entity<BenchOrder>(order =>
        {
            order.ToTable("bench_orders");
            order.HasKey(o => o.Id);
            order.Property(o => o.Id).ValueGeneratedNever();
        });
        model.AddMessagingTables();
        model.UseSnakeCaseNames();
    }
}
