using System.Diagnostics;
using System.Runtime.InteropServices;
using Billing.AppHost.Dashboard;
using Billing.AppHost.Logging;
using Billing.AppHost.Resources;
using Billing.Hosting;

namespace Billing.AppHost.Startup;

/// <summary>One run of the AppHost, from clearing what an earlier run left to the last child stopped.</summary>
public static class AppHostRun
{
    /// <summary>What <c>--wipe</c> deletes: the AppHost's own data, never anything else in the folder.</summary>
    private static readonly string[] OwnData = ["postgres", "rabbitmq", "redis", "secrets.json"];

    public static async Task<int> RunAsync(AppHostOptions options, ConsoleSink console)
    {
        PrepareDataDirectory(options.DataDirectory);
        var pidFile = new PidFile(options.PidFile);
        IReadOnlyList<string> leftovers;
        try { leftovers = await pidFile.StopLeftoversAsync(); }
        catch (HostingException e) { return Fail(console, e.Message); }
        if (leftovers.Count > 0) console.Info($"stopped what an earlier run left running: {string.Join(", ", leftovers)}");
        if (options.Wipe) Wipe(options, console);

        // Ports the user chose: a clear message now beats a failure halfway through start-up.
        if (FreePort.IsInUse(options.GatewayPort))
            return Fail(console, $"gateway port {options.GatewayPort} is busy; stop what uses it or choose another with --port <port>.");
        if (FreePort.IsInUse(options.DashboardPort))
            return Fail(console, $"dashboard port {options.DashboardPort} is busy; stop what uses it or choose another with --dashboard-port <port>.");

        var secrets = SecretStore.Open(options.SecretsFile);
        var ports = new PortAllocator(options.GatewayPort, options.DashboardPort);
        Infrastructure infrastructure;
        try
        {
            infrastructure = options.External ? Infrastructure.External(options, console) : Infrastructure.Local(options, secrets, console, ports);
        }
        catch (ArgumentException e)
        {
            return Fail(console, e.Message);
        }
        // From here the data folder is ours: a second AppHost on it is refused.
        pidFile.Write([]);
        var model = SystemModel.Build(options, infrastructure, secrets, console, ports);
        foreach (var resource in model.All) resource.ProcessesChanged += () => pidFile.Write(model.All);
        var orchestrator = new Orchestrator(model, secrets, console);

        using var shutdown = new CancellationTokenSource();
        void OnSignal(PosixSignalContext signal)
        {
            signal.Cancel = true;
            if (!shutdown.IsCancellationRequested)
            {
                console.Info($"{signal.Signal}: stopping everything (again to kill at once)");
                shutdown.Cancel();
                return;
            }
            KillAll(model.All);
            Environment.Exit(130);
        }
        // Children run in their own session, so nothing else would stop them if a bug brought the AppHost down.
        AppDomain.CurrentDomain.UnhandledException += (_, _) => KillAll(model.All);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var hangUp = PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnSignal);

        await using var dashboard = await DashboardServer.StartAsync(options.DashboardPort, () => model.All);
        var dashboardUrl = $"http://127.0.0.1:{options.DashboardPort}";
        console.Info($"dashboard: {dashboardUrl} (starting {model.All.Count} resources)");

        var exitCode = 0;
        try
        {
            await orchestrator.StartAsync(shutdown.Token);
            PrintSummary(console, options, model, dashboardUrl);
            await orchestrator.SuperviseAsync(shutdown.Token);
        }
        catch (HostingException e)
        {
            exitCode = Fail(console, e.Message);
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested) { }

        await orchestrator.StopAsync();
        pidFile.Delete();
        console.Info(exitCode == 0 ? "stopped" : "stopped after the failure above");
        return exitCode;
    }

    private static void PrintSummary(ConsoleSink console, AppHostOptions options, SystemModel model, string dashboardUrl)
    {
        console.Info(model.Gateway is { } gateway
            ? $"gateway:   {gateway.Url}"
            : "gateway:   not built yet; the services answer on their own ports (see the dashboard)");
        console.Info($"dashboard: {dashboardUrl}");
        console.Info($"secrets:   {options.SecretsFile} (operator key and passwords, readable only by you)");
        console.Info($"all healthy in {Orchestrator.Elapsed:0.0} s; Ctrl+C stops everything");
    }

    private static int Fail(ConsoleSink console, string message)
    {
        console.Error(message);
        return 1;
    }

    /// <summary>The postgres user (when we are root) must be able to reach its data folder below this one.</summary>
    private static void PrepareDataDirectory(string path)
    {
        Directory.CreateDirectory(path);
        File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.OtherExecute | UnixFileMode.GroupExecute);
    }

    private static void Wipe(AppHostOptions options, ConsoleSink console)
    {
        foreach (var entry in OwnData.Select(e => Path.Combine(options.DataDirectory, e)))
        {
            if (Directory.Exists(entry)) Directory.Delete(entry, recursive: true);
            else if (File.Exists(entry)) File.Delete(entry);
        }
        console.Info($"wiped {options.DataDirectory}: {string.Join(", ", OwnData)}");
    }

    private static void KillAll(IEnumerable<Resource> resources)
    {
        foreach (var pid in resources.SelectMany(r => r.Pids))
        {
            try { using var process = Process.GetProcessById(pid); process.Kill(entireProcessTree: true); }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException) { }
        }
    }
}
