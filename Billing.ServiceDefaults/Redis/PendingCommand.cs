namespace Billing.ServiceDefaults.Redis;

/// <summary>
/// A command between its caller and its reply. The caller awaits <see cref="TaskCompletionSource{T}.Task"/>;
/// the connection's reader completes it when the matching reply arrives. A caller that stops waiting
/// (timeout, cancellation) abandons it rather than removing it, because its reply still comes and
/// must still be consumed in order for the replies behind it to reach their own callers.
/// </summary>
internal sealed class PendingCommand(string name, byte[] request)
    // Continuations run on the thread pool, so a slow caller never stalls the reader loop.
    : TaskCompletionSource<RedisValue>(TaskCreationOptions.RunContinuationsAsynchronously)
{
    /// <summary>The command's name only: arguments may hold secrets (AUTH) and stay out of messages.</summary>
    public string Name { get; } = name;

    public byte[] Request { get; } = request;

    /// <summary>True once nobody waits for the reply; the writer then skips it if it was not sent yet.</summary>
    public bool IsAbandoned => Task.IsCompleted;

    public void Complete(RedisValue reply)
    {
        if (reply.Kind == RedisReplyKind.Error) TrySetException(new RedisException(reply.AsString()!));
        else TrySetResult(reply);
    }

    /// <summary>Stops the command from ever faulting later with nobody to observe the fault.</summary>
    public void Abandon()
    {
        if (!TrySetCanceled())
            _ = Task.Exception; // reading it marks a fault that raced in as observed
    }
}
