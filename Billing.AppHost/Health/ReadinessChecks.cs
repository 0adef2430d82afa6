using Aspire.Hosting.ApplicationModel;
using Billing.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Billing.AppHost.Health;

/// <summary>
/// Health checks that wait a little for readiness instead of answering "not yet" at once. Aspire asks a starting
/// resource's checks at growing intervals (1, 2, 3, 4, then every 5 s), so a server ready just after a check was
/// seen up to 5 s later, and everything waiting for it started that much later: RabbitMQ and the services each lost
/// 2–5 s of a warm start this way. A check that polls for up to <see cref="Wait"/> answers as soon as the resource
/// is ready; once healthy, each check returns at its first probe.
/// </summary>
public static class ReadinessChecks
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(2) };

    /// <summary>Registers a check named after the resource that asks <paramref name="isReady"/> until it says yes or <see cref="Wait"/> passed; returns its name.</summary>
    public static string AddReadinessCheck(this IDistributedApplicationBuilder builder, string resource, Func<CancellationToken, Task<bool>> isReady)
    {
        var name = $"{resource}-ready";
        builder.Services.AddHealthChecks().AddAsyncCheck(name, async ct =>
        {
            var deadline = DateTime.UtcNow + Wait;
            string reason = $"{resource} does not answer yet";
            while (true)
            {
                try
                {
                    if (await isReady(ct)) return HealthCheckResult.Healthy();
                }
                catch (HostingException e)
                {
                    reason = e.Message;
                }
                if (DateTime.UtcNow + Interval > deadline) return HealthCheckResult.Unhealthy(reason);
                await Task.Delay(Interval, ct);
            }
        });
        return name;
    }

    /// <summary>Healthy when <c>GET <paramref name="path"/></c> on the resource's <c>http</c> endpoint answers a success status.</summary>
    public static IResourceBuilder<T> WithHttpReadinessCheck<T>(this IResourceBuilder<T> resource, string path) where T : IResourceWithEndpoints
    {
        var endpoint = resource.GetEndpoint("http");
        var name = resource.ApplicationBuilder.AddReadinessCheck(resource.Resource.Name, async ct =>
        {
            try
            {
                using var response = await Http.GetAsync(new Uri(new Uri(endpoint.Url), path), ct);
                return response.IsSuccessStatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                return false;
            }
        });
        return resource.WithHealthCheck(name);
    }
}
