using System.Collections.Concurrent;
using System.Diagnostics;

namespace Billing.Tests.Messaging;

/// <summary>What the test consumers received, shared between the test and the hosts it starts.</summary>
public sealed class Received
{
    private readonly ConcurrentQueue<(Guid? MessageId, object Message)> _messages = new();

    private readonly ConcurrentDictionary<Guid, string> _traces = new();

    /// <summary>Called by a consumer: also notes the trace it consumed the message in, when there is one.</summary>
    public void Add(Guid? messageId, object message)
    {
        if (messageId is { } id && Activity.Current is { } consuming) _traces[id] = consuming.TraceId.ToString();
        _messages.Enqueue((messageId, message));
    }

    /// <summary>The trace id a consumer saw while consuming the message, if a span was current.</summary>
    public string? TraceOf(Guid messageId) => _traces.GetValueOrDefault(messageId);

    public IReadOnlyList<(Guid? MessageId, T Message)> Of<T>(Func<T, bool> match) =>
        _messages.Where(m => m.Message is T t && match(t)).Select(m => (m.MessageId, (T)m.Message)).ToList();

    /// <summary>Waits until at least <paramref name="count"/> matching messages arrived or the time is up; returns them all.</summary>
    public async Task<IReadOnlyList<(Guid? MessageId, T Message)>> WaitForAsync<T>(Func<T, bool> match, int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Of(match).Count < count && DateTime.UtcNow < deadline) await Task.Delay(20);
        return Of(match);
    }
}
