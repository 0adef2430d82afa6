using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Billing.ServiceDefaults.Errors;
using Billing.ServiceDefaults.Messaging;
using Billing.ServiceDefaults.Telemetry;
using Billing.Webhooks.Model;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Billing.Webhooks.Ingest;

/// <summary>
/// Group commit for received events. Deliveries that arrive together queue their row here and a
/// writer stores the whole queue in one statement (<see cref="ReceivedEventBatch"/>): one round
/// trip and one WAL flush for many events instead of one each, which is what lets a burst of
/// webhooks run at the speed of plain inserts. Each caller still gets its answer only after the
/// statement holding its row has committed, so a 2xx always means durable. A row nobody is
/// writing yet costs no latency: a writer takes whatever is queued the moment it is free.
/// </summary>
public sealed class ReceivedEventWriter(
    NpgsqlDataSource dataSource, OutboxSignal outbox, IOptions<WebhooksOptions> options, ILogger<ReceivedEventWriter> logger)
    : IHostedService
{
    /// <summary>Deliveries (copies included) per committed statement: how much the group commit is saving.</summary>
    public static readonly Histogram<int> BatchSize = BillingTelemetry.Meter.CreateHistogram<int>(
        "billing.webhooks.ingest.batch_size", unit: "{delivery}", description: "Webhook deliveries stored by one group-commit statement");

    private readonly Channel<PendingWrite> _queue = Channel.CreateBounded<PendingWrite>(
        new BoundedChannelOptions(options.Value.IngestQueueCapacity) { FullMode = BoundedChannelFullMode.Wait });
    private Task _writers = Task.CompletedTask;

    /// <summary>Stores <paramref name="received"/> with its outbox row (if any) unless its Stripe id is already stored.</summary>
    /// <exception cref="NpgsqlException">Postgres failed: nothing of this event was stored.</exception>
    public async Task<IngestOutcome> WriteAsync(ReceivedEvent received, OutboxMessage? message, CancellationToken ct)
    {
        var pending = new PendingWrite(received, message);
        try
        {
            await _queue.Writer.WriteAsync(pending, ct);
        }
        catch (ChannelClosedException)
        {
            throw new ApiException(StatusCodes.Status503ServiceUnavailable, ErrorCodes.Unavailable, "The service is stopping; retry later.");
        }
        // Not cancelled with the request: once queued the row is written anyway, and a retry finds it.
        return await pending.Outcome.Task;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _writers = Task.WhenAll(Enumerable.Range(0, options.Value.IngestWriters).Select(_ => Task.Run(WriteLoopAsync, CancellationToken.None)));
        return Task.CompletedTask;
    }

    /// <summary>Takes no new rows and writes the queued ones before the process exits.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await _writers.WaitAsync(cancellationToken);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingWrite>();
        var max = options.Value.IngestBatchSize;
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < max && _queue.Reader.TryRead(out var next)) batch.Add(next);
            if (batch.Count > 0) await WriteBatchAsync(batch);
        }
    }

    private async Task WriteBatchAsync(IReadOnlyList<PendingWrite> batch)
    {
        try
        {
            var stored = await ReceivedEventBatch.InsertAsync(dataSource, batch.Select(p => (p.Event, p.Message)).ToList());
            var staged = false;
            foreach (var pending in batch)
            {
                // A Stripe id twice in one batch: the first copy stored it, the others are duplicates.
                var first = stored.Remove(pending.Event.StripeEventId);
                staged |= first && pending.Message is not null;
                pending.Outcome.TrySetResult(first ? IngestOutcome.Stored : IngestOutcome.Duplicate);
            }
            if (staged) outbox.Committed();
            BatchSize.Record(batch.Count);
        }
        catch (PostgresException e) when (batch.Count > 1)
        {
            // One row Postgres refuses must not fail the deliveries it was batched with: each is tried alone.
            logger.LogWarning("Storing a batch of {Count} received events failed ({SqlState}); storing them one by one", batch.Count, e.SqlState);
            foreach (var pending in batch) await WriteBatchAsync([pending]);
        }
        catch (Exception e)
        {
            foreach (var pending in batch) pending.Outcome.TrySetException(e);
        }
    }

    private sealed record PendingWrite(ReceivedEvent Event, OutboxMessage? Message)
    {
        // Continuations run on the pool, not on the writer: it goes straight on to the next batch.
        public TaskCompletionSource<IngestOutcome> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
