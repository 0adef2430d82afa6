using Billing.ServiceDefaults.Data;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Billing.ServiceDefaults.Messaging;

/// <summary>
/// After local commits that staged outbox rows, sends one Postgres NOTIFY on the schema's outbox
/// channel, at most every <see cref="Coalesce"/>, so the other replicas' relays wake too.
/// Deliberately outside the business transaction: a NOTIFY inside it would take Postgres's
/// global notify lock through the commit's WAL flush and serialize every committing request.
/// </summary>
internal sealed class OutboxPeerNotifier(
    NpgsqlDataSource dataSource, ServiceSchema schema, OutboxSignal signal, ILogger<OutboxPeerNotifier> logger) : BackgroundService
{
    internal static readonly TimeSpan Coalesce = TimeSpan.FromMilliseconds(100);

    public static string Channel(string schema) => $"{schema}_outbox";

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        try
        {
            while (await signal.WaitForLocalCommitAsync(ct))
            {
                try
                {
                    await using var command = dataSource.CreateCommand("select pg_notify(@channel, @sender)");
                    command.Parameters.AddWithValue("channel", Channel(schema.Name));
                    command.Parameters.AddWithValue("sender", signal.InstanceId);
                    await command.ExecuteNonQueryAsync(ct);
                }
                catch (Exception e) when (e is NpgsqlException or TimeoutException)
                {
                    // Only a latency hint for the others; their poll still finds the rows.
                    logger.LogDebug(e, "Could not notify the other replicas of {Schema}", schema.Name);
                }
                await Task.Delay(Coalesce, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }
}
