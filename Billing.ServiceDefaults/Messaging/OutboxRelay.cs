using Billing.ServiceDefaults.Data;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Billing.ServiceDefaults.Messaging;

/// <summary>
/// Publishes committed outbox rows, oldest first, each with its row id as MessageId, and marks
/// them published in the transaction that claimed them. A crash after publishing but before that
/// commit publishes the rows again with the same MessageId, which the consumers' inbox drops:
/// delivery is at least once, the effect exactly once. While the broker is unreachable the rows
/// simply wait, and the relay retries with a growing pause.
/// </summary>
internal sealed class OutboxRelay(
    NpgsqlDataSource dataSource, OutboxStore store, IBusControl bus, OutboxSignal signal,
    IOptions<MessagingOptions> options, ServiceSchema schema, ILogger<OutboxRelay> logger) : BackgroundService
{
    private readonly MessagingOptions _options = options.Value;

    /// <summary>How long a start waits for the bus before publishing anyway (and backing off if it must).</summary>
    private static readonly TimeSpan BusStartWait = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        // Publishing before the bus has declared this service's own queues and bindings would
        // route the first events nowhere (RabbitMQ confirms unroutable messages and drops them).
        try { await bus.WaitForHealthStatus(BusHealthStatus.Healthy, BusStartWait).WaitAsync(ct); }
        catch (OperationCanceledException) { return; }

        var backoff = TimeSpan.Zero;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                // Also the first thing after a start: rows left by a crash go out at once.
                await DrainAsync(ct);
                if (backoff > TimeSpan.Zero) logger.LogInformation("Outbox relay of {Schema} is publishing again", schema.Name);
                backoff = TimeSpan.Zero;
                await signal.WaitAsync(_options.OutboxPollInterval, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                backoff = backoff == TimeSpan.Zero ? TimeSpan.FromMilliseconds(250) : Min(backoff * 2, _options.OutboxMaxBackoff);
                logger.LogWarning(e, "Outbox relay of {Schema} could not publish; next attempt in {Delay} ms", schema.Name, (int)backoff.TotalMilliseconds);
                // Commits during an outage do not cut the pause short: the broker, not the work, is the limit.
                try { await Task.Delay(backoff, ct); } catch (OperationCanceledException) { return; }
            }
        }
    }

    private async Task DrainAsync(CancellationToken ct)
    {
        while (await RelayBatchAsync(ct) == _options.OutboxBatchSize) { }
    }

    /// <summary>Returns how many rows it claimed; throws when the broker failed a publish.</summary>
    private async Task<int> RelayBatchAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        List<PendingMessage> rows;
        try
        {
            rows = await store.ClaimAsync(connection, _options.OutboxBatchSize, ct);
        }
        catch
        {
            await store.AbandonAsync(connection);
            throw;
        }

        // Publishes are issued in sequence order and their confirms awaited together: one broker
        // round trip per batch instead of one per message.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_options.OutboxPublishTimeout);
        var inFlight = new List<(PendingMessage Row, Task Publish)>(rows.Count);
        var failures = new List<RelayFailure>();
        foreach (var row in rows)
        {
            if (TryRead(row, out var message, out var type, out var unreadable))
            {
                inFlight.Add((row, bus.Publish(message, type, context => Prepare(context, row), timeout.Token)));
                continue;
            }
            var retryAfter = UnreadableBackoff(row.Attempts);
            logger.LogError("Outbox message {MessageId} of {Schema} cannot be published ({Reason}); retried in {Delay}",
                row.Id, schema.Name, unreadable, retryAfter);
            failures.Add(new RelayFailure(row.Id, unreadable, retryAfter));
        }

        var published = new List<Guid>(inFlight.Count);
        Exception? brokerFailure = null;
        foreach (var (row, publish) in inFlight)
        {
            try
            {
                await publish;
                published.Add(row.Id);
            }
            catch (Exception e)
            {
                // Stopping or the broker failing: the row stays unpublished, first in line for the next attempt.
                if (!ct.IsCancellationRequested) brokerFailure ??= e;
                failures.Add(new RelayFailure(row.Id, $"{e.GetType().Name}: {e.Message}", null));
            }
        }

        await store.CompleteAsync(connection, published, failures);
        if (brokerFailure is not null)
            throw new InvalidOperationException($"Publishing outbox messages failed: {brokerFailure.Message}", brokerFailure);
        return rows.Count;
    }

    private static void Prepare(PublishContext context, PendingMessage row)
    {
        context.MessageId = row.Id;
        foreach (var (key, value) in MessageTypes.DeserializeHeaders(row.Headers)) context.Headers.Set(key, value);
    }

    private static bool TryRead(PendingMessage row, out object message, out Type type, out string error)
    {
        message = null!;
        error = "";
        type = MessageTypes.Resolve(row.MessageType)!;
        if (type is null)
        {
            error = $"unknown message type {row.MessageType}";
            return false;
        }
        try
        {
            message = MessageTypes.Deserialize(row.Body, type);
            return true;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or NotSupportedException or ArgumentException)
        {
            error = $"body does not read as {row.MessageType}: {e.Message}";
            return false;
        }
    }

    // A row that cannot be read will not read better in a second; a deploy may fix it, so it is retried slowly.
    private static TimeSpan UnreadableBackoff(int attempts) => Min(TimeSpan.FromSeconds(30 * Math.Pow(2, Math.Min(attempts, 10))), TimeSpan.FromHours(1));

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
