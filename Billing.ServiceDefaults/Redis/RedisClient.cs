using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Billing.ServiceDefaults.Redis;

/// <summary>
/// A small RESP2 client over one multiplexed connection (see <see cref="RedisConnection"/>).
/// Connects lazily on the first call and again after the connection breaks; while Redis stays
/// unreachable, attempts are spaced by an exponential backoff and calls in between fail at once
/// instead of piling up. Thread-safe; meant to be a singleton.
/// </summary>
public sealed partial class RedisClient : IRedis, IAsyncDisposable, IDisposable
{
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private RedisConnection? _connection;
    private Task<RedisConnection?>? _connecting;
    private Exception? _lastFailure;
    private TimeSpan _backoff;
    private long _nextAttemptAt;
    private bool _disposed;

    public RedisClient(RedisOptions options, ILogger<RedisClient>? logger = null)
    {
        Options = options;
        _logger = logger ?? NullLogger<RedisClient>.Instance;
    }

    /// <summary>Connects with a connection string such as <c>127.0.0.1:6379,password=…</c>.</summary>
    public RedisClient(string connectionString) : this(RedisOptions.Parse(connectionString)) { }

    public RedisOptions Options { get; }

    /// <inheritdoc />
    public Task<RedisValue> ExecuteAsync(string command, params object[] args) =>
        ExecuteAsync(command, args ?? throw new ArgumentNullException(nameof(args)), null);

    /// <inheritdoc />
    public async Task<RedisValue> ExecuteAsync(string command, IReadOnlyList<object> args, TimeSpan? timeout, CancellationToken ct = default)
    {
        var request = RespEncoder.Encode(command, args);
        var deadline = Deadline.Start(timeout ?? Options.CommandTimeout);

        // A second attempt only when the connection broke before the command was queued: nothing was sent, so it is safe.
        for (var attempt = 1; ; attempt++)
        {
            var connection = await GetConnectionAsync(command, deadline, ct).ConfigureAwait(false);
            var pending = new PendingCommand(command, request);
            if (connection.TrySend(pending))
                return await AwaitReplyAsync(pending, deadline, ct).ConfigureAwait(false);
            if (attempt == 2)
                throw new RedisConnectionException($"Redis {command}: the connection to {Options.EndPoint} broke before the command could be sent.");
        }
    }

    private async Task<RedisValue> AwaitReplyAsync(PendingCommand pending, Deadline deadline, CancellationToken ct)
    {
        try
        {
            return await pending.Task.WaitAsync(deadline.Remaining, ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            pending.Abandon();
            throw new TimeoutException($"Redis {pending.Name} got no reply from {Options.EndPoint} within {deadline}.");
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            pending.Abandon();
            throw;
        }
    }

    private async ValueTask<RedisConnection> GetConnectionAsync(string command, Deadline deadline, CancellationToken ct)
    {
        var current = Volatile.Read(ref _connection);
        if (current is { IsConnected: true }) return current;

        Task<RedisConnection?> connecting;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_connection is { IsConnected: true }) return _connection;
            if (_connecting is null)
            {
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), _nextAttemptAt);
                if (wait > TimeSpan.Zero)
                    throw new RedisConnectionException(
                        $"Redis {command}: not connected to {Options.EndPoint} (next attempt in {wait.TotalMilliseconds:0} ms): {_lastFailure?.Message}",
                        _lastFailure);
                // On the thread pool: the attempt must not capture the first caller's context, and it can only
                // finish (and clear _connecting under this lock) after this assignment.
                _connecting = Task.Run(ConnectAsync);
            }
            connecting = _connecting;
        }
        try
        {
            return await connecting.WaitAsync(deadline.Remaining, ct).ConfigureAwait(false)
                ?? throw new RedisConnectionException($"Redis {command}: {_lastFailure?.Message}", _lastFailure);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Redis {command}: not connected to {Options.EndPoint} within {deadline}.");
        }
    }

    /// <summary>
    /// One connection attempt shared by every caller that needs it. Never faults: a failure is recorded
    /// for callers to report, so a task nobody waits for any more cannot raise an unobserved exception.
    /// </summary>
    private async Task<RedisConnection?> ConnectAsync()
    {
        RedisConnection? connection = null;
        try
        {
            using var timeout = new CancellationTokenSource(Options.ConnectTimeout);
            connection = await OpenAsync(timeout.Token).ConfigureAwait(false);
            RedisConnection? replaced;
            lock (_gate)
            {
                _connecting = null;
                if (_disposed) throw new ObjectDisposedException(nameof(RedisClient));
                replaced = _connection;
                _connection = connection;
                _backoff = TimeSpan.Zero;
                _lastFailure = null;
            }
            if (replaced is not null) await replaced.DisposeAsync().ConfigureAwait(false);
            _logger.LogInformation("Connected to Redis at {EndPoint}", Options.EndPoint);
            return connection;
        }
        catch (Exception e)
        {
            if (connection is not null) await connection.DisposeAsync().ConfigureAwait(false);
            var failure = Describe(e);
            TimeSpan backoff;
            lock (_gate)
            {
                _connecting = null;
                _lastFailure = failure;
                _backoff = _backoff == TimeSpan.Zero ? Options.MinReconnectBackoff : Min(_backoff * 2, Options.MaxReconnectBackoff);
                _nextAttemptAt = Stopwatch.GetTimestamp() + (long)(_backoff.TotalSeconds * Stopwatch.Frequency);
                backoff = _backoff;
            }
            _logger.LogWarning("Redis at {EndPoint} is unreachable, next attempt in {Backoff} ms: {Reason}",
                Options.EndPoint, backoff.TotalMilliseconds, failure.Message);
            return null;
        }
    }

    /// <summary>Opens a socket and runs the handshake (AUTH, SELECT, CLIENT SETNAME) on it before anyone else may use it.</summary>
    private async Task<RedisConnection> OpenAsync(CancellationToken ct)
    {
        var connection = await RedisConnection.OpenAsync(Options, OnBroken, ct).ConfigureAwait(false);
        try
        {
            if (Options.Password is not null)
            {
                object[] credentials = Options.User is null ? [Options.Password] : [Options.User, Options.Password];
                await HandshakeAsync(connection, "AUTH", credentials, "refused the credentials", ct).ConfigureAwait(false);
            }
            if (Options.Database != 0)
                await HandshakeAsync(connection, "SELECT", [Options.Database], $"refused database {Options.Database}", ct).ConfigureAwait(false);
            if (Options.ClientName is not null)
                await HandshakeAsync(connection, "CLIENT", ["SETNAME", Options.ClientName], "refused the client name", ct).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task HandshakeAsync(RedisConnection connection, string command, object[] args, string refusal, CancellationToken ct)
    {
        var pending = new PendingCommand(command, RespEncoder.Encode(command, args));
        if (!connection.TrySend(pending)) throw new IOException("The connection closed during the handshake.");
        try
        {
            await pending.Task.WaitAsync(ct).ConfigureAwait(false);
        }
        catch (RedisException e)
        {
            throw new RedisConnectionException($"Redis at {Options.EndPoint} {refusal}: {e.Message}", e);
        }
        catch (OperationCanceledException)
        {
            pending.Abandon();
            throw;
        }
    }

    private void OnBroken(Exception cause) =>
        _logger.LogWarning("Lost the connection to Redis at {EndPoint}; the next call reconnects: {Reason}", Options.EndPoint, cause.Message);

    private RedisConnectionException Describe(Exception e) => e switch
    {
        RedisConnectionException known => known,
        OperationCanceledException => new($"Could not connect to Redis at {Options.EndPoint} within {Options.ConnectTimeout.TotalMilliseconds:0} ms.", e),
        _ => new($"Could not connect to Redis at {Options.EndPoint}: {e.Message}", e),
    };

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>One time limit for a whole call, connecting included; <see cref="Timeout.InfiniteTimeSpan"/> waits for ever.</summary>
    private readonly record struct Deadline(TimeSpan Limit, long Started)
    {
        public static Deadline Start(TimeSpan limit) => new(limit, Stopwatch.GetTimestamp());

        public TimeSpan Remaining => Limit == Timeout.InfiniteTimeSpan
            ? Limit
            : TimeSpan.FromTicks(Math.Max(0, (Limit - Stopwatch.GetElapsedTime(Started)).Ticks));

        public override string ToString() => $"{Limit.TotalMilliseconds:0} ms";
    }

    public async ValueTask DisposeAsync()
    {
        RedisConnection? connection;
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            connection = _connection;
            _connection = null;
        }
        if (connection is not null) await connection.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>For containers disposed synchronously; the connection's loops run on the thread pool, so blocking here cannot deadlock.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
