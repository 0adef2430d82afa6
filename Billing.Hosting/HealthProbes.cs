using System.Net.Sockets;
using System.Text;
using Npgsql;

namespace Billing.Hosting;

/// <summary>
/// One real request per kind of server, true when it is answered: shared by the launchers and by
/// the AppHost's external mode, where the servers belong to someone else.
/// </summary>
public static class HealthProbes
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Opens a connection (no pooling, so nothing is left open) and runs <c>select 1</c>. A refused
    /// password is an answer too: the server is up, waiting longer will not help, so that throws.
    /// </summary>
    public static async Task<bool> PostgresAsync(string connectionString, CancellationToken ct = default)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString) { Timeout = (int)Timeout.TotalSeconds, Pooling = false };
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand("select 1", connection);
            await command.ExecuteScalarAsync(ct);
            return true;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidPassword)
        {
            throw new HostingException($"Postgres refused the password: {e.MessageText}.");
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>True when the broker answers the AMQP protocol header with a method frame (its Connection.Start).</summary>
    public static async Task<bool> AmqpAsync(string host, int port, CancellationToken ct = default)
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(Timeout);
            await client.ConnectAsync(host, port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes("AMQP\0\0\x09\x01"), timeout.Token);
            var frameType = new byte[1];
            return await stream.ReadAsync(frameType, timeout.Token) == 1 && frameType[0] == 1;
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>True when Redis answers <c>PING</c> with <c>PONG</c> (after <c>AUTH</c> when a password is given).</summary>
    public static async Task<bool> RedisAsync(string host, int port, string? password, CancellationToken ct = default)
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(Timeout);
            await client.ConnectAsync(host, port, timeout.Token);
            var stream = client.GetStream();
            var request = string.IsNullOrEmpty(password) ? "PING\r\n" : $"AUTH {password}\r\nPING\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(request), timeout.Token);
            var buffer = new byte[64];
            var text = new StringBuilder();
            while (!text.ToString().Contains("PONG") && text.Length < 128)
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
