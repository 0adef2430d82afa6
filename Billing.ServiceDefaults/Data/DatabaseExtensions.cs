using Billing.ServiceDefaults.Idempotency;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Billing.ServiceDefaults.Data;

public static class DatabaseExtensions
{
    /// <summary>
    /// The service's Postgres: connection string <c>ConnectionStrings:{schema}db</c> (its own
    /// least-privilege role), an EF Core context on its schema, the migrator, Idempotency-Key storage and a ready check.
    /// </summary>
    public static WebApplicationBuilder AddServiceDatabase<TContext>(this WebApplicationBuilder builder, string schema)
        where TContext : DbContext
    {
        var name = $"{schema}db";
        var connectionString = builder.Configuration.GetConnectionString(name);
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new InvalidOperationException(
                $"Missing configuration ConnectionStrings:{name} (environment variable ConnectionStrings__{name}).");

        builder.Services.AddSingleton(_ =>
        {
            var dataSource = new NpgsqlDataSourceBuilder(connectionString);
            // Statements run again and again (EF's, the outbox relay's, the inbox's) are parsed and
            // planned once per connection instead of on every call, unless the connection string says otherwise.
            if (dataSource.ConnectionStringBuilder.MaxAutoPrepare == 0) dataSource.ConnectionStringBuilder.MaxAutoPrepare = 64;
            return dataSource.Build();
        });
        builder.Services.AddSingleton(new ServiceSchema(schema));
        // Idempotency keys first: every service with a database honours Idempotency-Key on POST.
        builder.Services.AddSingleton(new MigrationSource("idempotency", typeof(IdempotencyStore).Assembly,
            $"{typeof(IdempotencyStore).Namespace}.Migrations."));
        builder.Services.AddSingleton(MigrationSource.BesideContext(schema, typeof(TContext)));
        builder.Services.AddSingleton<IdempotencyStore>();
        builder.Services.AddHostedService<IdempotencyPruning>();
        builder.Services.AddSingleton<SqlMigrator>();
        builder.Services.AddDbContext<TContext>((services, options) =>
            options.UseNpgsql(services.GetRequiredService<NpgsqlDataSource>()));
        builder.Services.AddHealthChecks().AddCheck<PostgresHealthCheck>("postgres", tags: ["ready"]);
        return builder;
    }
}
