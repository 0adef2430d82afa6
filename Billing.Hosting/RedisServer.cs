namespace Billing.Hosting;

/// <summary>redis-server from Debian's package on 127.0.0.1 with a password and its own data folder.</summary>
public sealed class RedisServer(string dataDirectory, int port, string password, bool durable = true)
    : ManagedServer("redis", dataDirectory, port)
{
    public override string ConnectionString => $"127.0.0.1:{Port},password={password}";

    protected override Task StartProcessesAsync(CancellationToken ct)
    {
        // The password goes in a config file, not the command line, where ps would show it.
        var config = Path.Combine(Path.GetFullPath(DataDirectory), "redis.conf");
        File.WriteAllText(config, $"""
            port {Port}
            bind 127.0.0.1
            dir {Path.GetFullPath(DataDirectory)}
            requirepass {password}
            save ""
            appendonly {(durable ? "yes" : "no")}
            daemonize no
            loglevel warning
            """);
        File.SetUnixFileMode(config, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Launch(new ProcessSpec("redis-server", [config]));
        return Task.CompletedTask;
    }

    public override Task<bool> IsHealthyAsync(CancellationToken ct = default) =>
        HealthProbes.RedisAsync("127.0.0.1", Port, password, ct);
}
