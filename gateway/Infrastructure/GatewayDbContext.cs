using Billing.Gateway.Model;
using Billing.ServiceDefaults.Data;
using Billing.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Billing.Gateway.Infrastructure;

/// <summary>
/// The gateway's own schema: accounts, apps, API keys, the audit log, the platform subscriptions
/// projection (written with SQL by <c>PlatformBilling/PlatformSubscriptionConsumer</c>, read by the
/// credential lookup) and the messaging inbox/outbox (tables in <c>Migrations/</c>).
/// </summary>
public sealed class GatewayDbContext(DbContextOptions<GatewayDbContext> options) : DbContext(options)
{
    public DbSet<Account> Accounts => Set<Account>();
    public DbSet<App> Apps => Set<App>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.HasDefaultSchema(GatewayService.Name);
        model.Entity<Account>().ToTable("accounts").HasKey(a => a.Id);
        model.Entity<App>().ToTable("apps").HasKey(a => a.Id);
        model.Entity<ApiKey>().ToTable("api_keys").HasKey(k => k.Id);
        model.Entity<AuditEntry>().ToTable("audit_entries").HasKey(e => e.Id);
        model.AddMessagingTables();
        model.UseSnakeCaseNames();
    }
}
