using System.Reflection;

namespace Billing.ServiceDefaults.Data;

/// <summary>The service's own Postgres schema and where its migration scripts live.</summary>
public sealed record ServiceSchema(string Name);

/// <summary>
/// A set of migration scripts: <c>*.sql</c> embedded resources under a <c>Migrations</c> folder of
/// <paramref name="Assembly"/>. Sources apply in registration order, scripts in file-name order.
/// </summary>
public sealed record MigrationSource(string Name, Assembly Assembly);
