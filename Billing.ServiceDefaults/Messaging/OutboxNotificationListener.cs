using Billing.ServiceDefaults.Data;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Billing.ServiceDefaults.Messaging;

/// <summary>
/// Listens on the schema's outbox channel, on which every replica announces its commits
/// (<see cref="OutboxPeerNotifier"/>), so a commit on any replica wakes the relay here too; the
/// in-process signal covers this process's own commits. Reconnects after losing Postgres; the
/// relay's slow poll covers the gap.
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
                connection.Notification += (_, e) =>
                {
                    if (e.Payload != signal.InstanceId) signal.PeerCommit();
                };
                await using (var listen = new NpgsqlCommand($"listen \"{OutboxPeerNotifier.Channel(schema.Name)}\"", connection))
                    await listen.ExecuteNonQueryAsync(ct);
                // Anything committed while nobody listened.
                signal.PeerCommit();
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
