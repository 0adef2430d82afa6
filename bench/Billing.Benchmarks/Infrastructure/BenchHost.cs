using Billing.ServiceDefaults.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Benchmarks.Infrastructure;

/// <summary>A real service (or the gateway) hosted in the benchmark process on 127.0.0.1:0, migrated first.</summary>
public sealed record BenchHost(WebApplication App, Uri Address) : IAsyncDisposable
{
    public static async Task<BenchHost> StartAsync(Func<string[], WebApplication> build, Dictionary<string, string?> settings)
    {
        settings["urls"] = "http://127.0.0.1:0";
        settings["Logging:LogLevel:Default"] = "Warning";
        var app = build(settings.Select(kv => $"--{kv.Key}={kv.Value}").ToArray());
        await app.Services.GetRequiredService<SqlMigrator>().MigrateAsync();
        await app.StartAsync();
        return new BenchHost(app, new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()));
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
