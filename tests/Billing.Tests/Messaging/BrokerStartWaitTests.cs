using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Billing.Hosting;
using Billing.Tests.Infrastructure;

namespace Billing.Tests.Messaging;

/// <summary>
/// A service started before its broker (the AppHost starts them together) waits for the broker to answer before its
/// bus starts, so the bus connects at its first attempt instead of after MassTransit's growing retry intervals.
/// </summary>
[Collection(InfrastructureCollection.Name)]
public sealed class BrokerStartWaitTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task A_service_started_before_its_broker_connects_once_the_broker_answers_with_no_failed_attempt()
    {
        var received = new Received();
        var logs = new LogCapture();
        var port = FreePort.Next();
        var broker = new UriBuilder(infrastructure.RabbitMq.ConnectionString) { Port = port }.Uri.ToString();
        var starting = TestService.StartAsync(args => MessagingTestHost.Build(args, received, logs), infrastructure, MessagingTestHost.Schema,
            new Dictionary<string, string?>(MessagingTestHost.FastSettings)
            {
                ["ConnectionStrings:rabbitmq"] = broker,
                ["Messaging:BrokerStartWait"] = "00:01:00",
            });

        // The broker "comes up" on that port only once the host is waiting for it.
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.False(starting.IsCompleted);
        await using var forwarder = TcpForwarder.Start(port, new Uri(infrastructure.RabbitMq.ConnectionString).Port);
        await using var host = await starting;

        var app = TestApps.NewAppId();
        var response = await host.Client.PostAsJsonAsync($"/v1/{app}/ledger", new MessagingTestHost.LedgerRequest(700));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var arrived = await received.WaitForAsync<LedgerEntryRecorded>(e => e.AppId == app, 1, TimeSpan.FromSeconds(30));
        Assert.Equal(700, arrived.Single().Message.AmountCents);
        // MassTransit logs every failed connection at Warning; its first attempt came after the broker answered.
        Assert.DoesNotContain(logs.Entries, e => e.Category.StartsWith("MassTransit", StringComparison.Ordinal));
    }

    /// <summary>A port that starts accepting when created and relays each connection to the real broker.</summary>
    private sealed class TcpForwarder : IAsyncDisposable
    {
        private readonly TcpListener _listener;
        private readonly int _target;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _accepting;

        private TcpForwarder(int port, int target)
        {
            _listener = new TcpListener(IPAddress.Loopback, port);
            _target = target;
            _listener.Start();
            _accepting = AcceptAsync();
        }

        public static TcpForwarder Start(int port, int target) => new(port, target);

        private async Task AcceptAsync()
        {
            var relays = new List<Task>();
            try
            {
                while (true)
                {
                    var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    relays.Add(RelayAsync(client));
                }
            }
            catch (OperationCanceledException) { }
            await Task.WhenAll(relays);
        }

        private async Task RelayAsync(TcpClient client)
        {
            using (client)
            using (var upstream = new TcpClient())
            {
                try
                {
                    await upstream.ConnectAsync(IPAddress.Loopback, _target, _stop.Token);
                    var down = client.GetStream().CopyToAsync(upstream.GetStream(), _stop.Token);
                    var up = upstream.GetStream().CopyToAsync(client.GetStream(), _stop.Token);
                    await Task.WhenAny(down, up);
                }
                catch (Exception e) when (e is IOException or SocketException or OperationCanceledException) { }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            await _accepting;
        }
    }
}
