namespace Billing.ServiceDefaults.Redis;

/// <summary>
/// The Redis operations the system uses, kept narrow so that StackExchange.Redis could stand behind
/// it unchanged once that package can be restored. Every call has a time limit (the options'
/// <see cref="RedisOptions.CommandTimeout"/> unless given) and throws:
/// <see cref="RedisException"/> when Redis answers with an error,
/// <see cref="RedisConnectionException"/> when there is no working connection,
/// <see cref="TimeoutException"/> when no reply comes in time,
/// <see cref="OperationCanceledException"/> when the caller's token is cancelled.
/// </summary>
public interface IRedis
{
    /// <summary>
    /// Runs any command, e.g. <c>ExecuteAsync("HSET", key, field, value)</c>; a subcommand is an argument
    /// (<c>ExecuteAsync("CLIENT", "LIST")</c>). Arguments: strings (sent as UTF-8), byte arrays, numbers.
    /// An error reply throws <see cref="RedisException"/>; errors nested in an array reply stay data.
    /// </summary>
    Task<RedisValue> ExecuteAsync(string command, params object[] args);

    /// <summary>
    /// Runs any command with its own time limit (null: the default; <see cref="Timeout.InfiniteTimeSpan"/>: none,
    /// for blocking commands) and cancellation. The limit covers connecting too.
    /// </summary>
    Task<RedisValue> ExecuteAsync(string command, IReadOnlyList<object> args, TimeSpan? timeout, CancellationToken ct = default);

    /// <summary>GET: the value as UTF-8 text, or null when the key does not exist.</summary>
    Task<string?> GetAsync(string key, CancellationToken ct = default);

    /// <summary>
    /// SET with optional PX (expiry) and NX (only if the key does not exist yet). Returns whether the value
    /// was stored: always true without NX; with NX, false when the key already existed (the basis of locks and
    /// idempotency claims).
    /// </summary>
    Task<bool> SetAsync(string key, string value, TimeSpan? expiry = null, bool onlyIfNotExists = false, CancellationToken ct = default);

    /// <summary>DEL: true when the key existed.</summary>
    Task<bool> DeleteAsync(string key, CancellationToken ct = default);

    /// <summary>INCRBY: the value after adding <paramref name="by"/>; a missing key counts from 0.</summary>
    Task<long> IncrementAsync(string key, long by = 1, CancellationToken ct = default);

    /// <summary>PEXPIRE: true when the key exists and now expires after <paramref name="expiry"/>.</summary>
    Task<bool> ExpireAsync(string key, TimeSpan expiry, CancellationToken ct = default);

    /// <summary>
    /// Runs a Lua script atomically. Sends only its SHA1 (EVALSHA) and falls back to the full script (EVAL)
    /// when the server does not know it yet (NOSCRIPT), e.g. after a restart or <c>SCRIPT FLUSH</c>.
    /// </summary>
    Task<RedisValue> EvalAsync(string script, IReadOnlyList<string> keys, IReadOnlyList<object> args, CancellationToken ct = default);

    /// <summary>PUBLISH: how many subscribers received the message.</summary>
    Task<long> PublishAsync(string channel, string message, CancellationToken ct = default);

    /// <summary>PING: the round-trip time.</summary>
    Task<TimeSpan> PingAsync(CancellationToken ct = default);
}
