using Billing.ServiceDefaults.Data;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Billing.ServiceDefaults.Messaging;

/// <summary>
/// Deletes published outbox rows and inbox rows past their retention, in small batches so it
/// never holds long locks. Unpublished outbox rows are never deleted.
/// </summary>
internal sealed class MessagingCleanup(
    NpgsqlDataSource dataSource, ServiceSchema schema, IOptions<MessagingOptions> options, ILogger<MessagingCleanup> logger) : BackgroundService
{
    private const int BatchSize = 1000;

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        var settings = options.Value;
        using var timer = new PeriodicTimer(settings.CleanupInterval);
        do
        {
            try
            {
                var outbox = await DeleteAsync(MessagingModel.OutboxTable, "published_at", settings.OutboxRetention, ct);
                var inbox = await DeleteAsync(MessagingModel.InboxTable, "processed_at", settings.InboxRetention, ct);
                if (outbox + inbox > 0)
                    logger.LogInformation("Messaging cleanup of {Schema} deleted {Outbox} outbox and {Inbox} inbox rows", schema.Name, outbox, inbox);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Messaging cleanup of {Schema} failed; trying again next round", schema.Name);
            }
        }
        while (await WaitNextAsync(timer, ct));
    }

    private static async Task<bool> WaitNextAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try { return await timer.WaitForNextTickAsync(ct); }
        catch (OperationCanceledException) { return false; }
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
