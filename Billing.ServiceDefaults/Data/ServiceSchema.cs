using System.Reflection;

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
