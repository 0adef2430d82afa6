using Npgsql;

namespace Billing.Benchmarks.Infrastructure;

/// <summary>
/// A baseline: one autocommit single-row insert per call, nothing else, into a table of its own in a service's
/// schema on the same durable Postgres: the least any call that commits a write costs there.
/// </summary>
public sealed class DurableInserts : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _insert;

    private DurableInserts(NpgsqlDataSource dataSource, string table)
    {
        _dataSource = dataSource;
        _insert = $"insert into {table} (id, amount_cents) values ($1, $2)";
    }

    /// <param name="schema">The service's schema, which the connection string's role may create tables in.</param>
    public static async Task<DurableInserts> CreateAsync(string connectionString, string schema)
    {
        var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 64 });
        var table = $"{schema}.bench_inserts";
        await using var create = dataSource.CreateCommand($"create table if not exists {table} (id text primary key, amount_cents bigint not null)");
        await create.ExecuteNonQueryAsync();
        return new DurableInserts(dataSource, table);
    }

    public async Task InsertAsync()
    {
        await using var command = _dataSource.CreateCommand(_insert);
        command.Parameters.Add(new NpgsqlParameter { Value = Guid.NewGuid().ToString("N") });
        command.Parameters.Add(new NpgsqlParameter { Value = 1L });
        await command.ExecuteNonQueryAsync();
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
