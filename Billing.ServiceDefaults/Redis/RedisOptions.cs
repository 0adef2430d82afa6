using System.Globalization;

namespace Billing.ServiceDefaults.Redis;

/// <summary>
/// Where and how to connect. Parsed from the connection string format StackExchange.Redis and
/// Aspire use (<c>host:port,password=…,connectTimeout=…,syncTimeout=…,database=N</c>), so the same
/// <c>ConnectionStrings__redis</c> keeps working if that library replaces this client.
/// </summary>
public sealed record RedisOptions
{
    public const int DefaultPort = 6379;

    public required string Host { get; init; }
    public int Port { get; init; } = DefaultPort;

    /// <summary>ACL user name; null authenticates as the default user (<c>AUTH password</c>).</summary>
    public string? User { get; init; }
    public string? Password { get; init; }
    public int Database { get; init; }

    /// <summary>Sent with <c>CLIENT SETNAME</c> so <c>CLIENT LIST</c> shows which service holds a connection.</summary>
    public string? ClientName { get; init; }

    /// <summary>Limit on opening the socket and authenticating.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Default limit on one command, from sending to its reply, when the caller gives none.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>First wait after a failed connection attempt; it doubles per failure up to <see cref="MaxReconnectBackoff"/>.</summary>
    public TimeSpan MinReconnectBackoff { get; init; } = TimeSpan.FromMilliseconds(100);
    public TimeSpan MaxReconnectBackoff { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>"host:port" without credentials, safe for logs and messages.</summary>
    public string EndPoint => Host.Contains(':') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    /// <summary>Never prints the password (a record's generated ToString would).</summary>
    public override string ToString() => $"{EndPoint}, database {Database}";

    /// <summary>Parses a connection string; throws <see cref="FormatException"/> naming the part it could not use.</summary>
    public static RedisOptions Parse(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        var parts = connectionString.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        string? host = null;
        var port = DefaultPort;
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in parts)
        {
            var equals = part.IndexOf('=');
            if (equals < 0)
            {
                if (host is not null)
                    throw new FormatException("Redis connection string names more than one server; this client connects to exactly one.");
                (host, port) = ParseEndPoint(part);
            }
            else
            {
                options[part[..equals].Trim()] = part[(equals + 1)..].Trim();
            }
        }
        if (host is null)
            throw new FormatException("Redis connection string has no host:port.");

        var result = new RedisOptions { Host = host, Port = port };
        foreach (var (key, value) in options)
        {
            result = key.ToLowerInvariant() switch
            {
                "password" => result with { Password = value },
                "user" => result with { User = value },
                "database" or "defaultdatabase" => result with { Database = ParseInt(key, value) },
                "name" => result with { ClientName = value },
                "connecttimeout" => result with { ConnectTimeout = Milliseconds(key, value) },
                // StackExchange.Redis has both; every call here is asynchronous, so either sets the command timeout.
                "synctimeout" or "asynctimeout" => result with { CommandTimeout = Milliseconds(key, value) },
                // We never give up at start-up: the client connects lazily and keeps retrying.
                "abortconnect" => result,
                "ssl" when !bool.Parse(value) => result,
                "ssl" => throw new FormatException("Redis over TLS (ssl=true) is not supported by this client."),
                _ => throw new FormatException($"Redis connection string option '{key}' is not supported."),
            };
        }
        return result;
    }

    private static (string Host, int Port) ParseEndPoint(string text)
    {
        // "[::1]:6379" for IPv6, "host:6379" or just "host" otherwise.
        var close = text.StartsWith('[') ? text.IndexOf(']') : -1;
        var colon = text.LastIndexOf(':');
        if (close > 0)
            return (text[1..close], colon > close ? ParsePort(text[(colon + 1)..]) : DefaultPort);
        return colon < 0 ? (text, DefaultPort) : (text[..colon], ParsePort(text[(colon + 1)..]));
    }

    private static int ParsePort(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
            ? port
            : throw new FormatException($"Redis connection string has an invalid port '{text}'.");

    private static int ParseInt(string key, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new FormatException($"Redis connection string option '{key}' must be a non-negative integer, not '{value}'.");

    private static TimeSpan Milliseconds(string key, string value)
    {
        var ms = ParseInt(key, value);
        return ms > 0 ? TimeSpan.FromMilliseconds(ms) : throw new FormatException($"Redis connection string option '{key}' must be positive.");
    }
}
