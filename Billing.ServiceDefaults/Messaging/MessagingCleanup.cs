using Billing.ServiceDefaults.Data;
using Billing.ServiceDefaults.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Billing.ServiceDefaults.Messaging;

/// <summary>
/// Deletes published outbox rows and inbox rows past their retention, in small batches so it
/// never holds long locks. Unpublished outbox rows are never deleted.
/// </summary>
internal sealed class MessagingCleanup(
    NpgsqlDataSource dataSource, ServiceSchema schema, IOptions<MessagingOptions> options, ILogger<MessagingCleanup> logger) : PeriodicWork(logger)
{
    private const int BatchSize = 1000;

    protected override TimeSpan Interval => options.Value.CleanupInterval;
    // At start: a service restarted more often than the interval would otherwise never clean up.
    protected override bool RunsAtStart => true;

    protected override async Task RunOnceAsync(CancellationToken ct)
    {
        var settings = options.Value;
        var outbox = await DeleteAsync(MessagingModel.OutboxTable, "published_at", settings.OutboxRetention, ct);
        var inbox = await DeleteAsync(MessagingModel.InboxTable, "processed_at", settings.InboxRetention, ct);
        if (outbox + inbox > 0)
            Logger.LogInformation("Messaging cleanup of {Schema} deleted {Outbox} outbox and {Inbox} inbox rows", schema.Name, outbox, inbox);
    }

    private async Task<int> DeleteAsync(string table, string column, TimeSpan retention, CancellationToken ct)
    {
        var total = 0;
        int deleted;
        do
        {
            await using var command = dataSource.CreateCommand($"""
                delete from {schema.Name}.{table} where ctid in (
                    select ctid from {schema.Name}.{table} where {column} < now() - @retention limit {BatchSize})
                """);
            command.Parameters.AddWithValue("retention", retention);
            deleted = await command.ExecuteNonQueryAsync(ct);
            total += deleted;
        }
        while (deleted == BatchSize);
        return total;
    }
}
