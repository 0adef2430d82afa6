using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Billing.ServiceDefaults.Redis;

/// <summary>The typed helpers of <see cref="IRedis"/>, each one command on top of <see cref="ExecuteAsync(string, IReadOnlyList{object}, TimeSpan?, CancellationToken)"/>.</summary>
public sealed partial class RedisClient
{
    /// <summary>Script text to its SHA1, so EVALSHA does not re-hash a script on every call.</summary>
    private readonly ConcurrentDictionary<string, string> _scriptHashes = new();

    /// <inheritdoc />
    public async Task<string?> GetAsync(string key, CancellationToken ct = default) =>
        (await ExecuteAsync("GET", [key], null, ct).ConfigureAwait(false)).AsString();

    /// <inheritdoc />
    public async Task<bool> SetAsync(string key, string value, TimeSpan? expiry = null, bool onlyIfNotExists = false, CancellationToken ct = default)
    {
        var args = new List<object>(5) { key, value };
        if (expiry is { } ttl) args.AddRange(["PX", Milliseconds(ttl, nameof(expiry))]);
        if (onlyIfNotExists) args.Add("NX");
        // +OK when stored; nil when NX found the key already there.
        return !(await ExecuteAsync("SET", args, null, ct).ConfigureAwait(false)).IsNull;
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(string key, CancellationToken ct = default) =>
        (await ExecuteAsync("DEL", [key], null, ct).ConfigureAwait(false)).AsInt64() == 1;

    /// <inheritdoc />
    public async Task<long> IncrementAsync(string key, long by = 1, CancellationToken ct = default) =>
        (await ExecuteAsync("INCRBY", [key, by], null, ct).ConfigureAwait(false)).AsInt64();

    /// <inheritdoc />
    public async Task<bool> ExpireAsync(string key, TimeSpan expiry, CancellationToken ct = default) =>
        (await ExecuteAsync("PEXPIRE", [key, Milliseconds(expiry, nameof(expiry))], null, ct).ConfigureAwait(false)).AsInt64() == 1;

    /// <inheritdoc />
    public async Task<RedisValue> EvalAsync(string script, IReadOnlyList<string> keys, IReadOnlyList<object> args, CancellationToken ct = default)
    {
        var sha = _scriptHashes.GetOrAdd(script, text => Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(text))));
        try
        {
            return await ExecuteAsync("EVALSHA", ScriptArgs(sha, keys, args), null, ct).ConfigureAwait(false);
        }
        catch (RedisException e) when (e.ErrorPrefix == "NOSCRIPT")
        {
            // EVAL also caches the script on the server, so the next EVALSHA finds it.
            return await ExecuteAsync("EVAL", ScriptArgs(script, keys, args), null, ct).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<long> PublishAsync(string channel, string message, CancellationToken ct = default) =>
        (await ExecuteAsync("PUBLISH", [channel, message], null, ct).ConfigureAwait(false)).AsInt64();

    /// <inheritdoc />
    public async Task<TimeSpan> PingAsync(CancellationToken ct = default)
    {
        var started = Stopwatch.GetTimestamp();
        var reply = await ExecuteAsync("PING", [], null, ct).ConfigureAwait(false);
        if (reply.AsString() != "PONG") throw new RedisException($"ERR unexpected PING reply '{reply}'.");
        return Stopwatch.GetElapsedTime(started);
    }

    private static object[] ScriptArgs(string scriptOrSha, IReadOnlyList<string> keys, IReadOnlyList<object> args)
    {
        var all = new object[2 + keys.Count + args.Count];
        all[0] = scriptOrSha;
        all[1] = keys.Count;
        for (var i = 0; i < keys.Count; i++) all[2 + i] = keys[i];
        for (var i = 0; i < args.Count; i++) all[2 + keys.Count + i] = args[i];
        return all;
    }

    /// <summary>Rounded up, so a sub-millisecond expiry never becomes the 0 that Redis rejects.</summary>
    private static long Milliseconds(TimeSpan expiry, string name) =>
        expiry > TimeSpan.Zero
            ? (long)Math.Ceiling(expiry.TotalMilliseconds)
            : throw new ArgumentOutOfRangeException(name, expiry, "A Redis expiry must be positive.");
}
