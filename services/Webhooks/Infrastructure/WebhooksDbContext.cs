using Billing.ServiceDefaults.Data;
using Billing.Webhooks.Model;
using Microsoft.EntityFrameworkCore;

namespace Billing.Webhooks.Infrastructure;

public sealed class WebhooksDbContext(DbContextOptions<WebhooksDbContext> options) : DbContext(options)
{
    public DbSet<ReceivedEvent> ReceivedEvents => Set<ReceivedEvent>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.HasDefaultSchema(WebhooksService.Name);
        model.Entity<ReceivedEvent>(received =>
        {
            received.ToTable("received_events");
            received.HasKey(e => e.Id);
            received.Property(e => e.Payload).HasColumnType("jsonb");
            received.Property(e => e.Status).HasConversion<string>();
        });
        model.UseSnakeCaseNames();
    }
}
