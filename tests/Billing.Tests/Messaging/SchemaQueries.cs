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

    /// <summary>
    /// For state the relay writes after the broker confirmed, which a consumer may see first:
    /// polls until the count is <paramref name="expected"/> or 10 s passed, and returns the last count.
    /// </summary>
    public static async Task<long> EventuallyCountAsync(InfrastructureFixture infrastructure, long expected, string sql, params (string Name, object Value)[] parameters)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        long count;
        while ((count = await CountAsync(infrastructure, sql, parameters)) != expected && DateTime.UtcNow < deadline) await Task.Delay(50);
        return count;
    }
}
