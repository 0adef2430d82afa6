using Billing.Connect.Model;
using Billing.ServiceDefaults.Data;
using Billing.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Billing.Connect.Infrastructure;

public sealed class ConnectDbContext(DbContextOptions<ConnectDbContext> options) : DbContext(options)
{
    public DbSet<ConnectedAccount> ConnectedAccounts => Set<ConnectedAccount>();
    public DbSet<Creator> Creators => Set<Creator>();
    public DbSet<Payout> Payouts => Set<Payout>();
    public DbSet<EarningEntry> Earnings => Set<EarningEntry>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.HasDefaultSchema(ConnectService.Name);
        model.Entity<ConnectedAccount>(account =>
        {
            account.ToTable("connected_accounts");
            account.HasKey(a => a.Id);
            account.Ignore(a => a.IsAppAccount);
        });
        model.Entity<Creator>(creator =>
        {
            creator.ToTable("creators");
            creator.HasKey(c => c.Id);
            creator.Property(c => c.PayoutFrequency).HasConversion(LowerCase<PayoutFrequency>());
        });
        model.Entity<Payout>(payout =>
        {
            payout.ToTable("payouts");
            payout.HasKey(p => p.Id);
            payout.Property(p => p.Status).HasConversion(LowerCase<PayoutStatus>());
            payout.Property(p => p.Trigger).HasConversion(LowerCase<PayoutTrigger>());
        });
        model.Entity<EarningEntry>(entry =>
        {
            entry.ToTable("earnings");
            entry.HasKey(e => e.Id);
            entry.Property(e => e.Id).UseIdentityAlwaysColumn();
        });
        model.AddMessagingTables();
        model.UseSnakeCaseNames();
    }

    // Enum values stored as the API spells them (single words here), so SQL reads 'weekly', not 'Weekly'.
    private static ValueConverter<T, string> LowerCase<T>() where T : struct, Enum =>
        new(v => v.ToString().ToLowerInvariant(), s => Enum.Parse<T>(s, true));
}
