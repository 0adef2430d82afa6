using Npgsql;

namespace Billing.Hosting;

/// <summary>
/// Creates the database, and for each service one schema owned by one login role that can touch
/// nothing else: no rights on the public schema or on other services' schemas.
/// Idempotent: a second run changes nothing but the role passwords (kept in sync with the secrets).
/// </summary>
public static class DatabaseProvisioner
{
    public const string Database = "billing";

    /// <summary>Returns each schema's own connection string (its role, its search path).</summary>
    public static async Task<IReadOnlyDictionary<string, string>> ProvisionAsync(
        string adminConnectionString, IEnumerable<string> schemas, SecretStore secrets, CancellationToken ct = default)
    {
        await using (var admin = new NpgsqlConnection(adminConnectionString))
        {
            await admin.OpenAsync(ct);
            var exists = await new NpgsqlCommand($"select 1 from pg_database where datname = '{Database}'", admin).ExecuteScalarAsync(ct);
            if (exists is null) await Execute(admin, $"create database {Database}", ct);
        }

        var builder = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = Database };
        await using var db = new NpgsqlConnection(builder.ConnectionString);
        await db.OpenAsync(ct);
        await Execute(db, $"revoke all on schema public from public; revoke connect on database {Database} from public", ct);

        var result = new Dictionary<string, string>();
        foreach (var schema in schemas)
        {
            if (!IsIdentifier(schema)) throw new ArgumentException($"'{schema}' is not a plain lower-case name.", nameof(schemas));
            var password = secrets.Get(PasswordSecret(schema));
            await Execute(db, $"""
                do $$ begin
                  if not exists (select from pg_roles where rolname = '{schema}') then
                    create role {schema} login;
                  end if;
                end $$;
                alter role {schema} with login nosuperuser nocreatedb nocreaterole password '{password}';
                alter role {schema} set search_path = {schema};
                grant connect on database {Database} to {schema};
                create schema if not exists {schema} authorization {schema};
                alter schema {schema} owner to {schema};
                revoke all on schema {schema} from public;
                """, ct);
            result[schema] = RoleConnectionString(adminConnectionString, schema, password);
        }
        return result;
    }

    /// <summary>The connection string of a schema's own role: same server as <paramref name="adminConnectionString"/>, its search path.</summary>
    public static string RoleConnectionString(string adminConnectionString, string schema, string password) =>
        new NpgsqlConnectionStringBuilder(adminConnectionString)
        {
            Database = Database, Username = schema, Password = password, SearchPath = schema,
        }.ConnectionString;

    /// <summary>The secret that holds a schema role's password.</summary>
    public static string PasswordSecret(string schema) => $"postgres:{schema}";

    private static bool IsIdentifier(string name) => name.Length > 0 && name.All(c => c is >= 'a' and <= 'z' or '_');

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}
