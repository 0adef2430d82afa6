using System.Net;
using System.Net.Sockets;

namespace Billing.Hosting;

public static class FreePort
{
    private static readonly HashSet<int> Given = [];

    /// <summary>
    /// A TCP port on 127.0.0.1 that was free a moment ago, never one this process gave out before. Taken below
    /// the kernel's ephemeral range: a port the kernel hands out for "any port" (<c>:0</c>, outgoing connections)
    /// is in that range, so no other process can be given ours between now and our server's bind. (Asking
    /// for <c>:0</c> here did exactly that: the Aspire orchestrator took the port meant for epmd a moment later,
    /// epmd could not bind, and RabbitMQ died with "nodistribution".)
    /// </summary>
    public static int Next()
    {
        var ephemeralStart = EphemeralRangeStart();
        var lowest = Math.Max(1024, ephemeralStart - 12_000);
        lock (Given)
        {
            for (var attempt = 0; attempt < 1000; attempt++)
            {
                var port = Random.Shared.Next(lowest, ephemeralStart);
                if (!Given.Contains(port) && !IsInUse(port) && Given.Add(port)) return port;
            }
        }
        throw new HostingException($"No free TCP port on 127.0.0.1 between {lowest} and {ephemeralStart}.");
    }

    private static int EphemeralRangeStart()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
            return int.Parse(range[0]);
        }
        catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException or UnauthorizedAccessException)
        {
            return 32768;
        }
    }

    public static bool IsInUse(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    /// <summary>True when something accepts TCP connections on the port now.</summary>
    public static async Task<bool> IsListeningAsync(int port, CancellationToken ct = default)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port, ct);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
