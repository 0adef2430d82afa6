namespace Billing.AppHost;

/// <summary>
/// The settings of a local run, as configuration (what launchSettings.json would give under
/// <c>dotnet run</c>): the Aspire dashboard on plain http on localhost, since there is no developer
/// certificate here, without a login, since only this machine can reach it; and the Development
/// environment, in which Aspire has the programs export telemetry within a second; and no check for
/// a newer Aspire, which runs <c>dotnet package search</c> against nuget.org as the system starts (a
/// network call from the host of a billing system, and a second of CPU at the busiest moment). Settings
/// already in the environment or among the arguments win.
/// </summary>
public static class DashboardSettings
{
    public static IEnumerable<string> Arguments(int port, IReadOnlyList<string> given)
    {
        var defaults = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://localhost:{port}",
            ["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://localhost:{port + 1}",
            ["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = $"http://localhost:{port + 2}",
            ["ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS"] = "true",
            ["environment"] = "Development",
            ["ASPIRE_VERSION_CHECK_DISABLED"] = "true",
        };
        return defaults
            .Where(d => string.IsNullOrEmpty(Environment.GetEnvironmentVariable(d.Key))
                && (d.Key != "environment" || string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT")))
                && !given.Any(a => a.StartsWith(d.Key + "=", StringComparison.OrdinalIgnoreCase)))
            .Select(d => $"{d.Key}={d.Value}");
    }

    public static string Url(int port) => Environment.GetEnvironmentVariable("ASPNETCORE_URLS")?.Split(';')[0] ?? $"http://localhost:{port}";
}
