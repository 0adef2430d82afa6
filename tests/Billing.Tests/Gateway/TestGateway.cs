using System.Net.Http.Json;
using System.Text.Json;
using Billing.Gateway;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Tests.Gateway;

/// <summary>
/// The gateway hosted over real HTTP on 127.0.0.1, configured as the AppHost configures it:
/// <c>services:{name}:http:{i}</c> per destination, and frequent health probes so tests see changes fast
/// (with the default probe timeout: a loaded test machine can be slow to answer).
/// </summary>
public sealed class TestGateway : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestGateway(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Client = new HttpClient { BaseAddress = address };
    }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public static string[] Arguments(IReadOnlyDictionary<string, Uri[]> destinations, IDictionary<string, string?>? settings = null)
    {
        var configuration = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
            // YARP logs every refused connection as a warning; the tests provoke them on purpose.
            ["Logging:LogLevel:Yarp"] = "Error",
            ["Gateway:HealthCheckInterval"] = "00:00:00.5",
        };
        foreach (var (service, addresses) in destinations)
            for (var i = 0; i < addresses.Length; i++) configuration[$"services:{service}:http:{i}"] = addresses[i].ToString();
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) configuration[key] = value;
        return configuration.Select(kv => $"--{kv.Key}={kv.Value}").ToArray();
    }

    public static async Task<TestGateway> StartAsync(IReadOnlyDictionary<string, Uri[]> destinations, IDictionary<string, string?>? settings = null)
    {
        var app = GatewayService.Build(Arguments(destinations, settings));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestGateway(app, new Uri(address));
    }

    /// <summary>Polls the system <c>/health</c> until it satisfies the condition; returns the last answer.</summary>
    public async Task<(int Status, JsonElement Body)> WaitForHealthAsync(Func<int, JsonElement, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            using var response = await Client.GetAsync("/health");
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            if (condition((int)response.StatusCode, body) || DateTime.UtcNow > deadline) return ((int)response.StatusCode, body);
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
