namespace Billing.ServiceDefaults.Redis;

/// <summary>
/// The command could not be answered because there is no working connection to Redis: the server
/// is unreachable, refused the credentials, or the socket broke while the command was in flight.
/// Whether an in-flight command ran on the server is unknown, so only idempotent commands are safe to retry.
/// </summary>
public sealed class RedisConnectionException : Exception
{
    public RedisConnectionException(string message) : base(message) { }

    public RedisConnectionException(string message, Exception? inner) : base(message, inner) { }
}
