using System.Collections.Concurrent;

namespace Billing.ServiceDefaults.Caching;

/// <summary>
/// Something each app has few of and reads on every call (its plans, its meters), kept in memory for
/// <paramref name="ttl"/> after a load. A change this process commits is seen at once through <see cref="Forget"/>;
/// one committed through another instance of the service, within the ttl. The cached values are shared:
/// callers must not modify them.
/// </summary>
public sealed class PerAppCache<T>(TimeSpan ttl) where T : class
{
    private sealed record Entry(T Value, long LoadedAt);

    private readonly ConcurrentDictionary<string, Entry> _byApp = new(StringComparer.Ordinal);

    // Bumped by every Forget: a load that started before it must not store what it read (it may predate the change).
    private long _generation;

    /// <summary>The app's cached value, or what <paramref name="load"/> reads when there is none younger than the ttl.</summary>
    public async Task<T> GetAsync(string appId, Func<CancellationToken, Task<T>> load, CancellationToken ct)
    {
        // Elapsed time, not the service's TimeProvider: tests move that one, and the cache must still expire.
        var now = Environment.TickCount64;
        if (_byApp.TryGetValue(appId, out var cached) && now - cached.LoadedAt < (long)ttl.TotalMilliseconds) return cached.Value;
        var generation = Interlocked.Read(ref _generation);
        var value = await load(ct);
        if (Interlocked.Read(ref _generation) == generation) _byApp[appId] = new Entry(value, now);
        return value;
    }

    /// <summary>After this process committed a change for <paramref name="appId"/>: the next call loads again.</summary>
    public void Forget(string appId)
    {
        Interlocked.Increment(ref _generation);
        _byApp.TryRemove(appId, out _);
    }
}
