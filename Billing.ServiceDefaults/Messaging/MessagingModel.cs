using Microsoft.EntityFrameworkCore;

namespace Billing.ServiceDefaults.Messaging;

public static class MessagingModel
{
    public const string OutboxTable = "outbox_messages";
    public const string InboxTable = "inbox_messages";

    /// <summary>
    /// Maps <see cref="OutboxMessage"/> and <see cref="InboxMessage"/> onto the tables the messaging
    /// migration creates in the context's default schema. Call in OnModelCreating of every context
    /// of a service that uses <c>AddServiceBus</c>. Names are explicit, so the order of this call
    /// and <c>UseSnakeCaseNames</c> does not matter.
    /// </summary>
    public static ModelBuilder AddMessagingTables(this ModelBuilder model)
    {
        model.Entity<OutboxMessage>(outbox =>
        {
            outbox.ToTable(OutboxTable);
            outbox.HasKey(m => m.Id);
            outbox.Property(m => m.Id).HasColumnName("id").ValueGeneratedNever();
            outbox.Property(m => m.Sequence).HasColumnName("sequence").ValueGeneratedOnAdd().UseIdentityAlwaysColumn();
            outbox.Property(m => m.MessageType).HasColumnName("message_type");
            outbox.Property(m => m.Body).HasColumnName("body").HasColumnType("jsonb");
            outbox.Property(m => m.Headers).HasColumnName("headers").HasColumnType("jsonb");
            outbox.Property(m => m.CreatedAt).HasColumnName("created_at");
            outbox.Property(m => m.Attempts).HasColumnName("attempts");
            outbox.Property(m => m.LastError).HasColumnName("last_error");
            outbox.Property(m => m.NextAttemptAt).HasColumnName("next_attempt_at");
            outbox.Property(m => m.PublishedAt).HasColumnName("published_at");
        });
        model.Entity<InboxMessage>(inbox =>
        {
            inbox.ToTable(InboxTable);
            inbox.HasKey(m => new { m.MessageId, m.Consumer });
            inbox.Property(m => m.MessageId).HasColumnName("message_id");
            inbox.Property(m => m.Consumer).HasColumnName("consumer");
            inbox.Property(m => m.ProcessedAt).HasColumnName("processed_at");
        });
        return model;
    }
}
