using System.Globalization;
using System.Text.RegularExpressions;
using Billing.Hosting;
using Billing.Tests.Infrastructure;

namespace Billing.Tests.AppHost;

/// <summary>
/// One AppHost run shared by a test class: the built AppHost started as a process, with a temporary
/// data folder and free ports so it never touches the developer's <c>.data</c> or a running system.
/// </summary>
public sealed partial class AppHostFixture : IAsyncLifetime
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(180);

    public string DataDirectory { get; } = TemporaryDataDirectory.Create();
    public int GatewayPort { get; } = FreePort.Next();
    public int DashboardPort { get; } = FreePort.Next();
    public AppHostProcess Host { get; private set; } = null!;

    /// <summary>Where every service of this run exports its telemetry, as OTEL_EXPORTER_OTLP_ENDPOINT tells it to.</summary>
    public OtlpReceiver Telemetry { get; private set; } = null!;

    /// <summary>Later runs over the same data, owned by the steps that start them and stopped here at the latest.</summary>
    public List<AppHostProcess> LaterRuns { get; } = [];

    /// <summary>What the AppHost printed as its time to "all healthy" (cold: initdb and a new broker).</summary>
    public double StartupSeconds { get; private set; }

    public async Task InitializeAsync()
    {
        Telemetry = await OtlpReceiver.StartAsync();
        Host = AppHostProcess.Start(DataDirectory, GatewayPort, DashboardPort, environment: new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Telemetry.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            // Export within a second instead of the defaults' 5 s (spans, logs) and 60 s (metrics).
            ["OTEL_BSP_SCHEDULE_DELAY"] = "500",
            ["OTEL_BLRP_SCHEDULE_DELAY"] = "500",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
        });
        StartupSeconds = ParseStartupSeconds(await Host.WaitForLineAsync("all healthy in", StartTimeout));
        Console.WriteLine($"AppHost cold start: all healthy in {StartupSeconds:0.0} s");
    }

    public static double ParseStartupSeconds(string line) =>
        double.Parse(AllHealthy().Match(line).Groups[1].Value, CultureInfo.InvariantCulture);

    public async Task DisposeAsync()
    {
        foreach (var run in LaterRuns.Prepend(Host)) await run.DisposeAsync();
        await Telemetry.DisposeAsync();
        TemporaryDataDirectory.Delete(DataDirectory);
    }

    [GeneratedRegex(@"all healthy in (\d+(?:\.\d+)?) s")]
    private static partial Regex AllHealthy();
}

/// <summary>A data folder under /tmp that the postgres user can reach when the tests run as root.</summary>
public static class TemporaryDataDirectory
{
    public static string Create()
    {
        var path = Path.Combine(Path.GetTempPath(), "billing-apphost-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(path);
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        return path;
    }

    public static void Delete(string path)
    {
        try { Directory.Delete(path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
