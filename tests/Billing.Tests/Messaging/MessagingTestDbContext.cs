using Billing.ServiceDefaults.Data;
using Billing.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Billing.Tests.Messaging;

/// <summary>A ledger line: the business change an event goes out with.</summary>
public sealed class LedgerEntry
{
    public required string Id { get; init; }
    public required string AppId { get; init; }
    public long AmountCents { get; init; }
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
}

/// <summary>The DbContext of the messaging tests' stand-in service, shaped like a real service's.</summary>
public sealed class MessagingTestDbContext(DbContextOptions<MessagingTestDbContext> options) : DbContext(options)
{
    public DbSet<LedgerEntry> Ledger => Set<LedgerEntry>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.HasDefaultSchema(MessagingTestHost.Schema);
        model.Entity<LedgerEntry>(entry =>
        {
            entry.ToTable("messaging_test_ledger");
            entry.HasKey(e => e.Id);
        });
        model.AddMessagingTables();
        model.UseSnakeCaseNames();
    }
}
