using System.Net.Sockets;
using System.Text;

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

    public override async Task<bool> IsHealthyAsync(CancellationToken ct = default)
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            await client.ConnectAsync("127.0.0.1", Port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"AUTH {password}\r\nPING\r\n"), timeout.Token);
            var buffer = new byte[64];
            var text = new StringBuilder();
            while (!text.ToString().Contains("PONG") && text.Length < 64)
            {
                var read = await stream.ReadAsync(buffer, timeout.Token);
                if (read == 0) break;
                text.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
            return text.ToString().Contains("+PONG");
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }
}
