using Billing.ServiceDefaults.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.ServiceDefaults.Hosting;

/// <summary>How every service's Program.cs runs: serve, or <c>migrate</c> and exit.</summary>
public static class ServiceHost
{
    /// <summary>
    /// With <c>migrate</c> as the first argument, applies the service's migrations and exits
    /// (the deliberate step the AppHost and deployments run before starting the service);
    /// otherwise runs the service until stopped.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, Func<string[], WebApplication> build)
    {
        if (args is ["migrate", .. var rest])
        {
            await using var app = build(rest);
            // A service without a database (the gateway, for now) has nothing to migrate: not an error.
            if (app.Services.GetService<SqlMigrator>() is not { } migrator)
            {
                Console.WriteLine("migrate: no database, nothing to apply");
                return 0;
            }
            try
            {
                var applied = await migrator.MigrateAsync();
                Console.WriteLine($"migrate: {applied.Count} script(s) applied");
                return 0;
            }
            catch (Exception e)
            {
                Console.Error.WriteLine($"migrate: failed: {e.Message}");
                return 1;
            }
        }
        await build(args).RunAsync();
        return 0;
    }
}
