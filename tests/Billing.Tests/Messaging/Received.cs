using System.Collections.Concurrent;

namespace Billing.Tests.Messaging;

/// <summary>What the test consumers received, shared between the test and the hosts it starts.</summary>
public sealed class Received
{
    private readonly ConcurrentQueue<(Guid? MessageId, object Message)> _messages = new();

    public void Add(Guid? messageId, object message) => _messages.Enqueue((messageId, message));

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
