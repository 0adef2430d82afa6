using Billing.Tests.Infrastructure;
using Npgsql;

namespace Billing.Tests.Messaging;

/// <summary>Reads the test schema directly, to assert what really is in the tables.</summary>
public static class SchemaQueries
{
    public static async Task<long> CountAsync(InfrastructureFixture infrastructure, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(infrastructure.Database(MessagingTestHost.Schema));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}
