using System.Reflection;
using Billing.ServiceDefaults.Idempotency;
using Billing.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Billing.ServiceDefaults.Data;

/// <summary>The service's own Postgres schema and where its migration scripts live.</summary>
public sealed record ServiceSchema(string Name);

/// <summary>
/// A set of migration scripts: the <c>*.sql</c> embedded resources of <paramref name="Assembly"/>
/// whose names start with <paramref name="ResourcePrefix"/> (a folder, as a namespace).
/// Sources apply in registration order, scripts in file-name order.
/// </summary>
public sealed record MigrationSource(string Name, Assembly Assembly, string ResourcePrefix)
{
    /// <summary>A service's own scripts: <c>*.sql</c> in a <c>Migrations</c> folder beside its DbContext.</summary>
    public static MigrationSource BesideContext(string name, Type contextType) =>
        new(name, contextType.Assembly, $"{contextType.Namespace}.Migrations.");
}

/// <summary>
/// What <c>migrate</c> applies to a service's schema, in order: the Idempotency-Key table, the service's own scripts
/// (beside its DbContext), then the outbox and inbox. Known from the service's name and DbContext alone, so a
/// migration runs without building the service (<see cref="Hosting.ServiceHost"/>); the service registers the same
/// list for tests that migrate through its host.
/// </summary>
public sealed record ServiceMigrations(string Schema, IReadOnlyList<MigrationSource> Sources)
{
    public static ServiceMigrations For<TContext>(string schema) where TContext : DbContext => new(schema,
    [
        new MigrationSource("idempotency", typeof(IdempotencyStore).Assembly, $"{typeof(IdempotencyStore).Namespace}.Migrations."),
        MigrationSource.BesideContext(schema, typeof(TContext)),
        new MigrationSource("messaging", typeof(ServiceBusExtensions).Assembly, $"{typeof(ServiceBusExtensions).Namespace}.Migrations."),
    ]);

    /// <summary>The connection string of the service's own role: <c>ConnectionStrings:{schema}db</c>.</summary>
    public string ConnectionName => $"{Schema}db";
}
