namespace Billing.Hosting;

/// <summary>redis-server from Debian's package on 127.0.0.1 with a password and its own data folder.</summary>
public sealed class RedisServer(string dataDirectory, int port, string password, bool durable = true)
    : ManagedServer("redis", dataDirectory, port)
{
    public override string ConnectionString => $"127.0.0.1:{Port},password={password}";

    private string ConfigFile => Path.Combine(DataDirectory, "redis.conf");

    // The password goes in a config file, not the command line, where ps would show it.
    public override Task PrepareAsync(CancellationToken ct = default)
    {
        Directory.CreateDirectory(DataDirectory);
        var config = ConfigFile;
        File.WriteAllText(config, $"""
            port {Port}
            bind 127.0.0.1
            dir {DataDirectory}
            requirepass {password}
            save ""
            appendonly {(durable ? "yes" : "no")}
            daemonize no
            loglevel warning
            """);
        File.SetUnixFileMode(config, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return Task.CompletedTask;
    }

    public override IReadOnlyList<ServerStep> Steps => [ServerStep.Running("redis", new ProcessSpec("redis-server", [ConfigFile]), IsHealthyAsync)];

    public override Task<bool> IsHealthyAsync(CancellationToken ct = default) =>
        HealthProbes.RedisAsync("127.0.0.1", Port, password, ct);
}
