using System.Collections.Concurrent;

namespace Billing.StripeSandbox.Wire;

/// <summary>
/// Stripe's Idempotency-Key rules: the first response for a key is saved with a fingerprint of the
/// request; the same request replays it, a different one is an idempotency_error, and a key whose
/// first request is still running is a 409.
/// </summary>
public sealed class Idempotency
{
    sealed class Entry(string fingerprint)
    {
        public string Fingerprint { get; } = fingerprint;
        public volatile bool Done;
        public int Status;
        public byte[] Body = [];
    }

    public abstract record Outcome;
    public sealed record Fresh(Action<int, byte[]> Save, Action Forget) : Outcome;
    public sealed record Replay(int Status, byte[] Body) : Outcome;

    readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);

    /// <summary>Requests holding a key right now (diagnostics; lets tests stage a concurrent retry).</summary>
    public int InFlight => entries.Values.Count(e => !e.Done);

    public Outcome Begin(string scope, string key, string fingerprint)
    {
        var entryKey = scope + "\n" + key;
        var mine = new Entry(fingerprint);
        var entry = entries.GetOrAdd(entryKey, mine);
        if (ReferenceEquals(entry, mine))
            return new Fresh(
                (status, body) => { mine.Status = status; mine.Body = body; mine.Done = true; },
                () => entries.TryRemove(new KeyValuePair<string, Entry>(entryKey, mine)));
        if (entry.Fingerprint != fingerprint)
            throw new StripeException(400, "idempotency_error",
                $"Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '{key}' if you meant to execute a different request.");
        if (!entry.Done)
            throw new StripeException(409, "invalid_request_error",
                "There is currently another in-progress request using this Stripe-Account, Idempotency-Key, and API key. Try again later.",
                "idempotency_key_in_use");
        return new Replay(entry.Status, entry.Body);
    }
}
