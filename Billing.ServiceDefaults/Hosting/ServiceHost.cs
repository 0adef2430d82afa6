using Billing.ServiceDefaults.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Billing.ServiceDefaults.Hosting;

/// <summary>How every service's Program.cs runs: serve, or <c>migrate</c> and exit.</summary>
public static class ServiceHost
{
    /// <summary>
    /// With <c>migrate</c> as the first argument, applies the service's migrations and exits
    /// (the deliberate step the AppHost and deployments run before starting the service);
    /// otherwise runs the service until stopped.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, Func<string[], WebApplication> build, ServiceMigrations migrations)
    {
        if (args is ["migrate", .. var rest]) return await MigrateAsync(rest, migrations);
        await build(args).RunAsync();
        return 0;
    }

    /// <summary>
    /// Only what the scripts need: the connection string (environment or command line, as the service reads it), a data
    /// source and a console log. Building the whole service for it cost ~0.6 s of CPU per migration, seven of them at
    /// every start of the AppHost, while the broker and the services were starting on the same two cores.
    /// </summary>
    private static async Task<int> MigrateAsync(string[] args, ServiceMigrations migrations)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
        var connectionString = configuration.GetConnectionString(migrations.ConnectionName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            Console.Error.WriteLine($"migrate: missing configuration ConnectionStrings:{migrations.ConnectionName} " +
                $"(environment variable ConnectionStrings__{migrations.ConnectionName})");
            return 2;
        }
        using var logging = LoggerFactory.Create(log => log.AddSimpleConsole(console => console.SingleLine = true));
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var migrator = new SqlMigrator(dataSource, new ServiceSchema(migrations.Schema), migrations.Sources, logging.CreateLogger<SqlMigrator>());
        try
        {
            var applied = await migrator.MigrateAsync();
            Console.WriteLine($"migrate: {applied.Count} script(s) applied to schema {migrations.Schema}");
            return 0;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"migrate: failed: {e.Message}");
            return 1;
        }
    }
}
