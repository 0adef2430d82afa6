using System.Net;
using System.Net.Sockets;
using Billing.Hosting;

namespace Billing.Tests.AppHost;

public sealed class StartupFailureTests
{
    [Fact]
    public async Task A_busy_gateway_port_ends_the_run_with_one_line_that_says_what_to_do_and_a_non_zero_exit()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var busyPort = ((IPEndPoint)squatter.LocalEndpoint).Port;
        var data = TemporaryDataDirectory.Create();
        try
        {
            await using var host = AppHostProcess.Start(data, busyPort, FreePort.Next());

            var exitCode = await host.WaitForExitAsync(TimeSpan.FromSeconds(60));

            Assert.NotEqual(0, exitCode);
            var errors = host.Lines.Where(l => l.StartsWith("stderr: ")).ToList();
            var error = Assert.Single(errors);
            Assert.Contains($"port {busyPort} is busy", error);
            Assert.Contains("--port", error);
            Assert.Empty(LeftoverProcesses.Find(data, [], []));
            Assert.DoesNotContain(host.Lines, l => l.StartsWith("[postgres]") || l.StartsWith("[catalog]"));
        }
        finally
        {
            TemporaryDataDirectory.Delete(data);
        }
    }
}
