using Billing.ServiceDefaults.Idempotency;
using Billing.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Billing.ServiceDefaults.Data;

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
