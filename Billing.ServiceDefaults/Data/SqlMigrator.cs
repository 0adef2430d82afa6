using Microsoft.Extensions.Logging;
using Npgsql;

namespace Billing.ServiceDefaults.Data;

/// <summary>
/// Applies the service's SQL migration scripts to its own schema, each once, in a transaction,
/// recorded in <c>schema_migrations</c>. Run as a deliberate step (<c>migrate</c> command or the
/// AppHost), never from a request path. (EF Core's design-time tooling is not in the registry
/// here, so migrations are plain SQL that reads well in review.)
/// </summary>
public sealed class SqlMigrator(NpgsqlDataSource dataSource, ServiceSchema schema, IEnumerable<MigrationSource> sources, ILogger<SqlMigrator> logger)
{
    /// <summary>Returns the ids of the scripts it applied.</summary>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        // One migrator at a time per schema, even with several replicas starting together.
        await Execute(connection, null, $"select pg_advisory_lock(hashtext('migrate:{schema.Name}'))", ct);
        try
        {
            await Execute(connection, null, $"""
                create table if not exists {schema.Name}.schema_migrations (
                    id text primary key,
                    applied_at timestamptz not null default now())
                """, ct);
            var applied = new HashSet<string>();
            await using (var read = new NpgsqlCommand($"select id from {schema.Name}.schema_migrations", connection))
            await using (var reader = await read.ExecuteReaderAsync(ct))
                while (await reader.ReadAsync(ct)) applied.Add(reader.GetString(0));

            var done = new List<string>();
            foreach (var (id, sql) in Scripts().Where(s => !applied.Contains(s.Id)))
            {
                await using var transaction = await connection.BeginTransactionAsync(ct);
                await Execute(connection, transaction, $"set local search_path = {schema.Name}", ct);
                await Execute(connection, transaction, sql, ct);
                await using (var record = new NpgsqlCommand($"insert into {schema.Name}.schema_migrations (id) values (@id)", connection, transaction))
                {
                    record.Parameters.AddWithValue("id", id);
                    await record.ExecuteNonQueryAsync(ct);
                }
                await transaction.CommitAsync(ct);
                logger.LogInformation("Applied migration {Migration} to schema {Schema}", id, schema.Name);
                done.Add(id);
            }
            return done;
        }
        finally
        {
            await Execute(connection, null, $"select pg_advisory_unlock(hashtext('migrate:{schema.Name}'))", CancellationToken.None);
        }
    }

    private IEnumerable<(string Id, string Sql)> Scripts()
    {
        foreach (var source in sources)
        {
            var names = source.Assembly.GetManifestResourceNames()
                .Where(n => n.StartsWith(source.ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
                .OrderBy(n => n, StringComparer.Ordinal);
            foreach (var name in names)
            {
                using var stream = source.Assembly.GetManifestResourceStream(name)!;
                using var reader = new StreamReader(stream);
                var file = name[source.ResourcePrefix.Length..];
                yield return ($"{source.Name}/{file}", reader.ReadToEnd());
            }
        }
    }

    private static async Task Execute(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(ct);
    }
}
