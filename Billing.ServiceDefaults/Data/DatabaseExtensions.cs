using Billing.ServiceDefaults.Idempotency;
using Billing.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Billing.ServiceDefaults.Data;

public static class DatabaseExtensions
{
    /// <summary>The name of the ready check on the service's database in <c>/health</c>.</summary>
    public const string HealthCheckName = "postgres";

    /// <summary>
    /// The service's Postgres: connection string <c>ConnectionStrings:{schema}db</c> (its own
    /// least-privilege role), an EF Core context on its schema, the migrator, Idempotency-Key storage and a ready check.
    /// </summary>
    /// <remarks>
    /// One <see cref="NpgsqlDataSource"/> from Aspire's Npgsql integration (Npgsql's traces and
    /// metrics, its logs through ILogger) serves both the DbContext and the raw SQL of the outbox
    /// relay, the inbox and the idempotency store: one pool, one role. Aspire's EF integration
    /// (<c>AddNpgsqlDbContext</c>) is not used: it opens a second pool from the connection string and
    /// turns on EF's retrying execution strategy, which refuses the explicit transactions of the inbox
    /// and the webhook replay, and would re-run a SaveChanges whose commit may already have happened.
    /// Transient failures are retried a level up instead, where it is safe: MassTransit's retry policy
    /// for consumers (a fresh scope each time), the outbox relay's backoff, and the caller's Idempotency-Key.
    /// </remarks>
    public static WebApplicationBuilder AddServiceDatabase<TContext>(this WebApplicationBuilder builder, string schema)
        where TContext : DbContext
    {
        var migrations = ServiceMigrations.For<TContext>(schema);
        var name = migrations.ConnectionName;
        // Checked now, not when the data source is first resolved, so the host stops before it listens.
        if (string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(name)))
            throw new InvalidOperationException(
                $"Missing configuration ConnectionStrings:{name} (environment variable ConnectionStrings__{name}).");

        builder.AddNpgsqlDataSource(name,
            // Registered below under the name /health has always used, beside "rabbitmq" and "redis".
            settings =>
            {
                settings.DisableHealthChecks = true;
                // As for the rest of our telemetry: recorded only when something exports it.
                settings.DisableTracing = settings.DisableMetrics = !builder.IsExporting();
            },
            dataSource =>
            {
                // Statements run again and again (EF's, the outbox relay's, the inbox's) are parsed and
                // planned once per connection instead of on every call, unless the connection string says otherwise.
                if (dataSource.ConnectionStringBuilder.MaxAutoPrepare == 0) dataSource.ConnectionStringBuilder.MaxAutoPrepare = 64;
            });
        builder.Services.AddHealthChecks().AddNpgSql(name: HealthCheckName, tags: ["ready"]);
        builder.Services.AddSingleton(new ServiceSchema(schema));
        foreach (var source in migrations.Sources) builder.Services.AddSingleton(source);
        builder.Services.AddSingleton<IdempotencyStore>();
        builder.Services.AddHostedService<IdempotencyPruning>();
        builder.Services.AddSingleton<SqlMigrator>();
        builder.Services.AddDbContext<TContext>((services, options) => options
            .UseNpgsql(services.GetRequiredService<NpgsqlDataSource>())
            .AddInterceptors(NoAutoSavepoints.Instance));
        return builder;
    }
}
