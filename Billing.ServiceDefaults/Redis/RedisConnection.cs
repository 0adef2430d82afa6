using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Billing.ServiceDefaults.Redis;

/// <summary>
/// One TCP connection shared by every caller. Callers drop encoded commands into a channel; a
/// single writer loop sends whatever has queued up with one flush, and records each command in
/// a FIFO queue as it goes out; a single reader loop parses replies and hands each to the oldest
/// command in that queue. Redis answers a connection's commands in order, so that is the whole
/// matching scheme, and no caller holds a lock for a round trip.
/// Once broken, a connection stays broken: every queued and in-flight command fails at once and
/// <see cref="RedisClient"/> opens a new one.
/// </summary>
internal sealed class RedisConnection : IAsyncDisposable
{
    private const int FlushThresholdBytes = 64 * 1024;

    private readonly Socket _socket;
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly string _endPoint;
    private readonly Action<Exception> _onBroken;
    private readonly Channel<PendingCommand> _outgoing =
        Channel.CreateUnbounded<PendingCommand>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentQueue<PendingCommand> _awaitingReply = new();
    private readonly Task _writing;
    private readonly Task _reading;
    private Exception? _failure;
    private int _readerDone;

    private RedisConnection(Socket socket, string endPoint, Action<Exception> onBroken)
    {
        _socket = socket;
        _endPoint = endPoint;
        _onBroken = onBroken;
        var stream = new NetworkStream(socket, ownsSocket: true);
        _input = PipeReader.Create(stream);
        _output = PipeWriter.Create(stream);
        _writing = Task.Run(WriteLoopAsync);
        _reading = Task.Run(ReadLoopAsync);
    }

    public bool IsConnected => Volatile.Read(ref _failure) is null;

    /// <summary>
    /// Opens the socket; authentication and database selection are the caller's first commands.
    /// <paramref name="onBroken"/> hears once why the connection broke, unless it was disposed on purpose.
    /// </summary>
    public static async Task<RedisConnection> OpenAsync(RedisOptions options, Action<Exception> onBroken, CancellationToken ct)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            // A peer that vanishes without closing (host down, network cut) sends no FIN; keep-alive probes
            // turn that into a socket error within about 45 s instead of a connection that times out for ever.
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, 30);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, 5);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, 3);
            await socket.ConnectAsync(options.Host, options.Port, ct).ConfigureAwait(false);
            return new RedisConnection(socket, options.EndPoint, onBroken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Queues a command; false when this connection is already broken (nothing was sent).</summary>
    public bool TrySend(PendingCommand command) => _outgoing.Writer.TryWrite(command);

    private async Task WriteLoopAsync()
    {
        try
        {
            var outgoing = _outgoing.Reader;
            while (await outgoing.WaitToReadAsync().ConfigureAwait(false))
            {
                while (outgoing.TryRead(out var command))
                {
                    if (command.IsAbandoned) continue;
                    // Recorded before its bytes can reach the server, so the reply always finds it.
                    _awaitingReply.Enqueue(command);
                    _output.Write(command.Request);
                    if (_output.UnflushedBytes >= FlushThresholdBytes) await FlushAsync().ConfigureAwait(false);
                }
                await FlushAsync().ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            Fail(e);
        }
        finally
        {
            // The channel is completed by now, so nothing more can arrive after this drain.
            while (_outgoing.Reader.TryRead(out var command)) command.TrySetException(Broken());
            // If the reader has already drained and left, the commands this loop recorded since are ours to fail.
            // Interlocked on both sides: a full fence between "record, then check the flag" here and
            // "set the flag, then drain" in the reader, so one of the two always sees the other's work.
            if (Interlocked.CompareExchange(ref _readerDone, 1, 1) == 1) FailAwaitingReply();
        }
    }

    private async Task FlushAsync()
    {
        var result = await _output.FlushAsync().ConfigureAwait(false);
        if (result.IsCompleted) throw new IOException("The connection was closed.");
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            while (true)
            {
                var read = await _input.ReadAsync().ConfigureAwait(false);
                var buffer = read.Buffer;
                var consumed = buffer.Start;
                while (RespParser.TryRead(buffer.Slice(consumed), out var reply, out var next))
                {
                    consumed = next;
                    if (!_awaitingReply.TryDequeue(out var command))
                        throw new InvalidDataException("Redis sent a reply that no command was waiting for.");
                    command.Complete(reply);
                }
                // Examined up to the end: wake only when more bytes arrive, not to re-parse the same partial reply.
                _input.AdvanceTo(consumed, buffer.End);
                if (read.IsCompleted || read.IsCanceled)
                    throw new IOException("Redis closed the connection.");
            }
        }
        catch (Exception e)
        {
            Fail(e);
        }
        finally
        {
            Interlocked.Exchange(ref _readerDone, 1);
            FailAwaitingReply();
        }
    }

    private void FailAwaitingReply()
    {
        while (_awaitingReply.TryDequeue(out var command)) command.TrySetException(Broken());
    }

    private RedisConnectionException Broken() =>
        new($"The connection to Redis at {_endPoint} broke: {_failure?.Message}", _failure);

    /// <summary>Marks the connection broken (first cause wins) and wakes both loops so they drain and exit.</summary>
    private void Fail(Exception cause)
    {
        if (Interlocked.CompareExchange(ref _failure, cause, null) is not null) return;
        if (cause is not ObjectDisposedException) _onBroken(cause);
        _outgoing.Writer.TryComplete();
        _input.CancelPendingRead();
        try { _socket.Shutdown(SocketShutdown.Both); } catch (SocketException) { } catch (ObjectDisposedException) { }
        _socket.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        Fail(new ObjectDisposedException(nameof(RedisConnection), "The Redis client was disposed."));
        await Task.WhenAll(_writing, _reading).ConfigureAwait(false); // the loops catch everything, so this never throws
        // The socket is gone already; completing the pipes only returns their buffers, and may complain about the dead stream.
        try { await _input.CompleteAsync().ConfigureAwait(false); } catch (Exception e) when (e is IOException or ObjectDisposedException) { }
        try { await _output.CompleteAsync().ConfigureAwait(false); } catch (Exception e) when (e is IOException or ObjectDisposedException) { }
    }
}
