using System.Diagnostics;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Billing.AppHost;

/// <summary>Once every long-running resource is healthy: where to go (gateway, dashboard, Stripe sandbox, secrets) and how long it took.</summary>
public static class StartupReport
{
    public static void Start(DistributedApplication app, AppHostArguments options, Stopwatch clock)
    {
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Billing.AppHost");
        var notifications = app.Services.GetRequiredService<ResourceNotificationService>();
        var stopping = app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        var model = app.Services.GetRequiredService<DistributedApplicationModel>();
        // The resources that keep running carry a health check; steps that run once (initdb, provisioning, migrations) do not.
        var running = model.Resources.Where(r => r.Annotations.OfType<HealthCheckAnnotation>().Any()).ToList();
        _ = Task.Run(async () =>
        {
            try
            {
                await Task.WhenAll(running.Select(r => notifications.WaitForResourceHealthyAsync(r.Name, WaitBehavior.StopOnResourceUnavailable, stopping)));
            }
            catch (OperationCanceledException) { return; }
            catch (DistributedApplicationException e)
            {
                log.LogError("start-up failed: {Reason}; the dashboard ({Dashboard}) has its logs", e.Message, DashboardSettings.Url(options.DashboardPort));
                return;
            }
            var stripe = model.Resources.OfType<ProjectResource>().Single(r => r.Name == "stripe").GetEndpoint("http");
            log.LogInformation("""
                gateway:   http://localhost:{Gateway}
                dashboard: {Dashboard} (local access without login; resources, console and structured logs, traces, metrics)
                stripe:    {Stripe} (the Stripe sandbox)
                secrets:   {Secrets} (operator key and passwords, readable only by you)
                all healthy in {Seconds:0.0} s; Ctrl+C stops everything
                """, options.GatewayPort, DashboardSettings.Url(options.DashboardPort), stripe.Url, options.SecretsFile, clock.Elapsed.TotalSeconds);
        }, stopping);
    }
}
