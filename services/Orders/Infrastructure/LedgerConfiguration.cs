using Billing.Orders.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Billing.Orders.Infrastructure;

internal sealed class LedgerConfiguration :
    IEntityTypeConfiguration<LedgerTransaction>, IEntityTypeConfiguration<LedgerLine>, IEntityTypeConfiguration<Wallet>,
    IEntityTypeConfiguration<AppSettings>, IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<LedgerTransaction> transaction)
    {
        transaction.ToTable("ledger_transactions");
        transaction.HasKey(t => t.Id);
        transaction.Property(t => t.Kind).HasConversion<string>();
        transaction.HasIndex(t => t.Source).IsUnique();
        transaction.HasMany(t => t.Lines).WithOne().HasForeignKey(l => l.TransactionId);
    }

    public void Configure(EntityTypeBuilder<LedgerLine> line)
    {
        line.ToTable("ledger_lines");
        line.HasKey(l => l.Id);
        line.Property(l => l.Id).UseIdentityAlwaysColumn();
    }

    public void Configure(EntityTypeBuilder<Wallet> wallet)
    {
        wallet.ToTable("wallets");
        wallet.HasKey(w => new { w.AppId, w.CustomerId });
    }

    public void Configure(EntityTypeBuilder<AppSettings> settings)
    {
        settings.ToTable("app_settings");
        settings.HasKey(s => s.AppId);
    }

    public void Configure(EntityTypeBuilder<Customer> customer)
    {
        customer.ToTable("customers");
        customer.HasKey(c => c.Id);
        customer.HasIndex(c => new { c.AppId, c.ExternalId }).IsUnique();
    }
}
