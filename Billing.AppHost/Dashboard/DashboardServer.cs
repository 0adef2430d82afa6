using System.Text.Json;
using System.Text.Json.Serialization;
using Billing.AppHost.Resources;
using Microsoft.Extensions.Hosting;

namespace Billing.AppHost.Dashboard;

/// <summary>
/// The dashboard, served by Kestrel inside the AppHost: one HTML page, the resources as JSON, each
/// resource's recent log lines, and a restart action.
/// </summary>
public sealed class DashboardServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DashboardServer(WebApplication app) => _app = app;

    public static async Task<DashboardServer> StartAsync(int port, Func<IReadOnlyList<Resource>> resources)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // The AppHost owns Ctrl+C and SIGTERM: it stops the children first and the dashboard last.
        builder.Services.AddSingleton<IHostLifetime, NoSignalLifetime>();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        });
        var app = builder.Build();

        app.MapGet("/", () => Results.Content(Page.Value, "text/html; charset=utf-8"));
        app.MapGet("/api/resources", () => resources().Select(ResourceView.From));
        app.MapGet("/api/resources/{name}/logs", (string name, long? after) =>
            Find(resources(), name) is { } r ? Results.Ok(r.Log.Since(after ?? 0)) : NotFound(name));
        app.MapPost("/api/resources/{name}/restart", (string name) =>
        {
            if (Find(resources(), name) is not { } resource) return NotFound(name);
            // A restart takes seconds; the page follows its progress by polling.
            _ = Task.Run(resource.RestartAsync);
            return Results.Accepted($"/api/resources/{name}", new { name, restarting = true });
        });

        await app.StartAsync();
        return new DashboardServer(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(TimeSpan.FromSeconds(5));
        await _app.DisposeAsync();
    }

    private static Resource? Find(IReadOnlyList<Resource> resources, string name) => resources.FirstOrDefault(r => r.Name == name);

    private static IResult NotFound(string name) =>
        Results.Problem(statusCode: 404, title: "Not found", detail: $"no resource named '{name}'");

    private static readonly Lazy<string> Page = new(() =>
    {
        using var stream = typeof(DashboardServer).Assembly.GetManifestResourceStream("Billing.AppHost.Dashboard.dashboard.html")!;
        return new StreamReader(stream).ReadToEnd();
    });

    private sealed class NoSignalLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken ct) => Task.CompletedTask;
        public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
    }
}
