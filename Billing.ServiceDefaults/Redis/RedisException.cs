namespace Billing.ServiceDefaults.Redis;

/// <summary>
/// Redis answered a command with an error reply (<c>-ERR …</c>, <c>-WRONGTYPE …</c>, <c>-NOSCRIPT …</c>).
/// The connection is fine; the command was wrong for the data or the server's state.
/// </summary>
public class RedisException : Exception
{
    public RedisException(string message) : base(message) => ErrorPrefix = message.Split(' ', 2)[0];

    public RedisException(string message, Exception inner) : base(message, inner) => ErrorPrefix = message.Split(' ', 2)[0];

    /// <summary>The error's first word as Redis sent it (<c>ERR</c>, <c>WRONGTYPE</c>, <c>NOSCRIPT</c>, <c>WRONGPASS</c>…), for callers that branch on it.</summary>
    public string ErrorPrefix { get; }
}
