using Billing.Connect.Model;
using Billing.ServiceDefaults.Data;
using Microsoft.EntityFrameworkCore;

namespace Billing.Connect.Infrastructure;

public sealed class ConnectDbContext(DbContextOptions<ConnectDbContext> options) : DbContext(options)
{
    public DbSet<ConnectedAccount> ConnectedAccounts => Set<ConnectedAccount>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.HasDefaultSchema(ConnectService.Name);
        model.Entity<ConnectedAccount>(account =>
        {
            account.ToTable("connected_accounts");
            account.HasKey(a => a.Id);
        });
        model.UseSnakeCaseNames();
    }
}
