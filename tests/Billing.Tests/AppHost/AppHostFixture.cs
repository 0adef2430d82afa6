using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Billing.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Tests.AppHost;

/// <summary>
/// The real AppHost (Billing.AppHost's Program) started through Aspire.Hosting.Testing, with its
/// dashboard on free ports and a temporary data folder, so it never touches the developer's
/// <c>.data</c> or a running system. Shared by the steps of one test class.
/// </summary>
public sealed class AppHostFixture : IAsyncLifetime
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(240);

    public string DataDirectory { get; } = TemporaryDataDirectory.Create();
    /// <summary>Where the dashboard listens (Aspire.Hosting.Testing moves ports; this is where it ended up).</summary>
    public string DashboardUrl { get; private set; } = null!;
    public DistributedApplication App { get; private set; } = null!;

    /// <summary>Seconds from the builder's creation to every long-running resource healthy (a cold start: initdb and a new broker).</summary>
    public double StartupSeconds { get; private set; }

    /// <summary>Later runs over the same data, owned by the steps that start them and disposed here at the latest.</summary>
    public List<DistributedApplication> LaterRuns { get; } = [];

    /// <summary>Set by the step that disposes <see cref="App"/> itself.</summary>
    public bool Disposed { get; set; }

    public async Task InitializeAsync()
    {
        var clock = Stopwatch.StartNew();
        App = await StartAsync(DataDirectory);
        StartupSeconds = clock.Elapsed.TotalSeconds;
        var dashboard = await App.GetDashboardUrlAsync() ?? throw new InvalidOperationException("the AppHost started without its dashboard");
        DashboardUrl = dashboard.GetLeftPart(UriPartial.Authority);
        Console.WriteLine($"AppHost cold start (Aspire.Hosting.Testing): all healthy in {StartupSeconds:0.0} s");
    }

    /// <summary>Builds and starts the AppHost on <paramref name="dataDirectory"/>, and waits until every long-running resource is healthy.</summary>
    public static async Task<DistributedApplication> StartAsync(string dataDirectory, params string[] extra)
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Billing_AppHost>(
            [
                "--data", dataDirectory,
                $"ASPNETCORE_URLS=http://localhost:{FreePort.Next()}",
                $"ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://localhost:{FreePort.Next()}",
                $"ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL=http://localhost:{FreePort.Next()}",
                .. extra,
            ],
            // The testing builder leaves the dashboard out unless asked: one test looks at it, and it receives the telemetry.
            (options, _) => options.DisableDashboard = false,
            timeout.Token);
        var app = await builder.BuildAsync(timeout.Token);
        await app.StartAsync(timeout.Token);
        await WaitUntilHealthyAsync(app, timeout.Token);
        return app;
    }

    /// <summary>The resources that keep running carry a health check; those that run once must have finished.</summary>
    public static async Task WaitUntilHealthyAsync(DistributedApplication app, CancellationToken ct)
    {
        var model = app.Services.GetRequiredService<DistributedApplicationModel>();
        var notifications = app.ResourceNotifications;
        await Task.WhenAll(model.Resources.Where(HasHealthCheck).Select(r =>
            notifications.WaitForResourceHealthyAsync(r.Name, WaitBehavior.StopOnResourceUnavailable, ct)));
    }

    public static bool HasHealthCheck(IResource resource) => resource.Annotations.OfType<HealthCheckAnnotation>().Any();

    public async Task DisposeAsync()
    {
        foreach (var run in Disposed ? LaterRuns : LaterRuns.Prepend(App)) await run.DisposeAsync();
        TemporaryDataDirectory.Delete(DataDirectory);
    }
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
