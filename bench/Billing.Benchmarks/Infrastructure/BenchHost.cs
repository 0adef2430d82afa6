using Billing.ServiceDefaults.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Benchmarks.Infrastructure;

/// <summary>
/// A real service (or the gateway, or the Stripe sandbox) hosted in the benchmark process on
/// 127.0.0.1:0 (or the <c>urls</c> given), migrated first when it has a database.
/// </summary>
public sealed record BenchHost(WebApplication App, Uri Address) : IAsyncDisposable
{
    public static async Task<BenchHost> StartAsync(Func<string[], WebApplication> build, Dictionary<string, string?> settings)
    {
        settings.TryAdd("urls", "http://127.0.0.1:0");
        settings["Logging:LogLevel:Default"] = "Warning";
        var app = build(settings.Select(kv => $"--{kv.Key}={kv.Value}").ToArray());
        if (app.Services.GetService<SqlMigrator>() is { } migrator) await migrator.MigrateAsync();
        await app.StartAsync();
        return new BenchHost(app, new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()));
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
