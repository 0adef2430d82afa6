using Billing.ServiceDefaults.Data;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Billing.ServiceDefaults.Messaging;

/// <summary>
/// Listens on the schema's outbox channel, which the table's trigger notifies when an insert
/// commits, so a commit on any replica wakes the relay here too (the in-process signal covers
/// only this process). Reconnects after losing Postgres; the relay's slow poll covers the gap.
/// </summary>
internal sealed class OutboxNotificationListener(
    NpgsqlDataSource dataSource, ServiceSchema schema, OutboxSignal signal, ILogger<OutboxNotificationListener> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(ct);
                connection.Notification += (_, _) => signal.Notify();
                await using (var listen = new NpgsqlCommand($"listen \"{schema.Name}_outbox\"", connection))
                    await listen.ExecuteNonQueryAsync(ct);
                // Anything committed while nobody listened.
                signal.Notify();
                delay = TimeSpan.FromSeconds(1);
                while (true) await connection.WaitAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Outbox listener of {Schema} lost Postgres; reconnecting in {Delay} s", schema.Name, delay.TotalSeconds);
                try { await Task.Delay(delay, ct); } catch (OperationCanceledException) { return; }
                delay = TimeSpan.FromSeconds(Math.Min(delay.TotalSeconds * 2, 30));
            }
        }
    }
}
