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

    [Fact]
    public async Task A_service_that_crashes_during_start_up_ends_the_run_with_one_line_and_stops_everything_started()
    {
        // A repository whose only service is the real Catalog build, with a setting that makes its web
        // server fail to start (an endpoint address that cannot exist); `migrate` does not start it.
        var data = TemporaryDataDirectory.Create();
        var root = Path.Combine(data, "repo");
        var output = Path.Combine(root, "services", "Catalog", "bin", "Release", "net10.0");
        CopyDirectory(Path.Combine(RepositoryPaths.Root, "services", "Catalog", "bin", "Release", "net10.0"), output);
        File.WriteAllText(Path.Combine(root, "Billing.sln"), "");
        File.WriteAllText(Path.Combine(output, "appsettings.json"), """{ "Kestrel": { "Endpoints": { "Broken": { "Url": "ftp://127.0.0.1:1" } } } }""");
        try
        {
            await using var host = AppHostProcess.Start(Path.Combine(data, "data"), FreePort.Next(), FreePort.Next(), ["--root", root]);

            var exitCode = await host.WaitForExitAsync(AppHostFixture.StartTimeout);

            Assert.Equal(1, exitCode);
            var error = Assert.Single(host.Lines, l => l.StartsWith("stderr: "));
            Assert.Contains("catalog exited during start-up with code", error);
            // The migration step ran to completion on the new database before the start failed.
            Assert.Contains(host.Lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\[catalog\] migrate: [1-9]\d* script\(s\) applied$"));
            Assert.Contains("[apphost] stopped after the failure above", host.Lines);
            var left = await LeftoverProcesses.WaitUntilNoneAsync(data, [], [], TimeSpan.FromSeconds(5));
            Assert.True(left.Count == 0, "left running:\n" + string.Join("\n", left));
        }
        finally
        {
            TemporaryDataDirectory.Delete(data);
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var dir in Directory.EnumerateDirectories(from)) CopyDirectory(dir, Path.Combine(to, Path.GetFileName(dir)));
    }
}
