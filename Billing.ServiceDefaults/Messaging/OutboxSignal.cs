using System.Threading.Channels;

namespace Billing.ServiceDefaults.Messaging;

/// <summary>
/// Wakes the relay. Signals coalesce: however many commits happen while the relay is busy, it
/// wakes once more afterwards and drains them all. A commit made here also tells the other
/// replicas (through <see cref="OutboxPeerNotifier"/>), so one whose broker connection works can
/// take over rows this process cannot publish.
/// </summary>
public sealed class OutboxSignal
{
    private readonly Channel<bool> _relay = CreateCoalescing();
    private readonly Channel<bool> _peers = CreateCoalescing();

    /// <summary>Identifies this process in its own NOTIFY payloads, so it does not wake itself twice.</summary>
    internal string InstanceId { get; } = Guid.NewGuid().ToString("N");

    /// <summary>
    /// A transaction that wrote outbox rows has committed in this process. EF units of work signal
    /// by themselves (<c>AddOutboxMessage</c>); code that inserts rows with its own SQL calls this.
    /// </summary>
    public void Committed()
    {
        _relay.Writer.TryWrite(true);
        _peers.Writer.TryWrite(true);
    }

    /// <summary>Another replica committed outbox rows.</summary>
    internal void PeerCommit() => _relay.Writer.TryWrite(true);

    /// <summary>Returns when signalled or after <paramref name="timeout"/>, whichever comes first.</summary>
    internal async Task WaitAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timer.CancelAfter(timeout);
        try
        {
            await _relay.Reader.ReadAsync(timer.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // The fallback poll interval elapsed.
        }
    }

    internal ValueTask<bool> WaitForLocalCommitAsync(CancellationToken ct) => _peers.Reader.ReadAsync(ct);

    private static Channel<bool> CreateCoalescing() =>
        Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
}
