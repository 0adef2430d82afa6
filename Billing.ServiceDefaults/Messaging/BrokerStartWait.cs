using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Billing.ServiceDefaults.Messaging;

/// <summary>
/// Holds the service's start, before the bus and the web server, until the broker accepts a connection, for at most
/// <see cref="MessagingOptions.BrokerStartWait"/>; then the start goes on, with the broker or without it (the outbox
/// keeps what is published meanwhile). Why: MassTransit retries a failed first connection after 3 s and then at growing
/// intervals up to 30 s, so a service started alongside a broker that is still booting (the AppHost starts them
/// together) found it seconds after it was up. Asked every 100 ms here, the bus connects at its first attempt.
/// </summary>
internal sealed class BrokerStartWait(RabbitMqAddress broker, IOptions<MessagingOptions> options, ILogger<BrokerStartWait> logger)
    : IHostedService
{
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(100);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var wait = options.Value.BrokerStartWait;
        if (wait <= TimeSpan.Zero || await AcceptsAsync(cancellationToken)) return;
        logger.LogInformation("Waiting up to {Wait} for the broker at {Host}:{Port} before starting", wait, broker.Host, broker.Port);
        var deadline = DateTime.UtcNow + wait;
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(Pause, cancellationToken);
            if (await AcceptsAsync(cancellationToken)) return;
        }
        logger.LogWarning("The broker at {Host}:{Port} did not answer within {Wait}: starting without it; the bus keeps trying",
            broker.Host, broker.Port, wait);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task<bool> AcceptsAsync(CancellationToken cancellationToken)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(broker.Host, broker.Port, attempt.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }
}
