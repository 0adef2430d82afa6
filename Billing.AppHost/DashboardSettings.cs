namespace Billing.AppHost;

/// <summary>
/// Where the Aspire dashboard listens, as configuration (what launchSettings.json would give under
/// <c>dotnet run</c>): plain http on localhost, since there is no developer certificate here, and no
/// login, since only this machine can reach it. Settings already in the environment win.
/// </summary>
public static class DashboardSettings
{
    public static IEnumerable<string> Arguments(int port)
    {
        var defaults = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://localhost:{port}",
            ["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://localhost:{port + 1}",
            ["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = $"http://localhost:{port + 2}",
            ["ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS"] = "true",
        };
        return defaults.Where(d => string.IsNullOrEmpty(Environment.GetEnvironmentVariable(d.Key))).Select(d => $"{d.Key}={d.Value}");
    }

    public static string Url(int port) => Environment.GetEnvironmentVariable("ASPNETCORE_URLS")?.Split(';')[0] ?? $"http://localhost:{port}";
}
