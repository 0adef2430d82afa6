using Billing.Orders.Model;
using Billing.ServiceDefaults.Data;
using Billing.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Billing.Orders.Infrastructure;

public sealed class OrdersDbContext(DbContextOptions<OrdersDbContext> options) : DbContext(options)
{
    public DbSet<Order> Orders => Set<Order>();
    public DbSet<Customer> Customers => Set<Customer>();
    public DbSet<Wallet> Wallets => Set<Wallet>();
    public DbSet<LedgerTransaction> LedgerTransactions => Set<LedgerTransaction>();
    public DbSet<LedgerLine> LedgerLines => Set<LedgerLine>();
    public DbSet<AppSettings> AppSettings => Set<AppSettings>();
    public DbSet<CatalogProduct> CatalogProducts => Set<CatalogProduct>();
    public DbSet<ConnectAccount> ConnectAccounts => Set<ConnectAccount>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.HasDefaultSchema(OrdersService.Name);
        model.ApplyConfiguration(new OrderConfiguration());
        var ledger = new LedgerConfiguration();
        model.ApplyConfiguration<LedgerTransaction>(ledger);
        model.ApplyConfiguration<LedgerLine>(ledger);
        model.ApplyConfiguration<Wallet>(ledger);
        model.ApplyConfiguration<AppSettings>(ledger);
        model.ApplyConfiguration<Customer>(ledger);
        model.Entity<CatalogProduct>(p => { p.ToTable("catalog_products"); p.HasKey(x => x.Id); });
        model.Entity<ConnectAccount>(a => { a.ToTable("connect_accounts"); a.HasKey(x => x.AppId); });
        model.AddMessagingTables();
        model.UseSnakeCaseNames();
    }

    /// <summary>Serializes, until the current transaction ends, everyone working on the same key (an order).</summary>
    public Task LockAsync(string key, CancellationToken ct) =>
        Database.ExecuteSqlRawAsync("select pg_advisory_xact_lock(hashtextextended({0}, 0))", [key], ct);
}
