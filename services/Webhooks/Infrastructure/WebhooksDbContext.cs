using Billing.ServiceDefaults.Data;
using Billing.ServiceDefaults.Messaging;
using Billing.Webhooks.Model;
using Microsoft.EntityFrameworkCore;

namespace Billing.Webhooks.Infrastructure;

public sealed class WebhooksDbContext(DbContextOptions<WebhooksDbContext> options) : DbContext(options)
{
    public DbSet<ReceivedEvent> ReceivedEvents => Set<ReceivedEvent>();
    public DbSet<DeadLetter> DeadLetters => Set<DeadLetter>();
    public DbSet<ReconcilerCheckpoint> ReconcilerCheckpoints => Set<ReconcilerCheckpoint>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.HasDefaultSchema(WebhooksService.Name);
        model.Entity<ReceivedEvent>(received =>
        {
            received.ToTable("received_events");
            received.HasKey(e => e.Id);
            received.Property(e => e.Payload).HasColumnType("json");
            received.Property(e => e.Status).HasConversion<string>();
            received.Property(e => e.Source).HasConversion<string>();
        });
        model.Entity<DeadLetter>(dead =>
        {
            dead.ToTable("dead_letters");
            dead.HasKey(d => d.Id);
            dead.Property(d => d.Message).HasColumnType("jsonb");
        });
        model.Entity<ReconcilerCheckpoint>(checkpoint =>
        {
            checkpoint.ToTable("reconciler_checkpoints");
            checkpoint.HasKey(c => c.Name);
        });
        model.AddMessagingTables();
        model.UseSnakeCaseNames();
    }
}
