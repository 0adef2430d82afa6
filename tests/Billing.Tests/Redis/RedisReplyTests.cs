using System.Text;
using Billing.ServiceDefaults.Redis;
using Billing.Tests.Infrastructure;

namespace Billing.Tests.Redis;

/// <summary>Every RESP2 reply type, produced by the real server and read back through <see cref="IRedis.ExecuteAsync(string, object[])"/>.</summary>
[Collection(InfrastructureCollection.Name)]
public sealed class RedisReplyTests(InfrastructureFixture infrastructure) : IAsyncLifetime
{
    private RedisClient _redis = null!;

    public Task InitializeAsync()
    {
        _redis = new RedisClient(infrastructure.Redis.ConnectionString);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task Simple_string_replies_come_back_as_their_text()
    {
        var pong = await _redis.ExecuteAsync("PING");
        var ok = await _redis.ExecuteAsync("SET", RedisTestKeys.New("simple"), "v");

        Assert.Equal((RedisReplyKind.SimpleString, "PONG"), (pong.Kind, pong.AsString()));
        Assert.Equal((RedisReplyKind.SimpleString, "OK"), (ok.Kind, ok.AsString()));
    }

    [Fact]
    public async Task Error_replies_throw_RedisException_with_the_servers_message_and_leave_the_connection_usable()
    {
        var key = RedisTestKeys.New("error");
        await _redis.ExecuteAsync("SET", key, "not a number");

        var notInteger = await Assert.ThrowsAsync<RedisException>(() => _redis.ExecuteAsync("INCR", key));
        var wrongType = await Assert.ThrowsAsync<RedisException>(() => _redis.ExecuteAsync("LPUSH", key, "x"));

        Assert.Equal("ERR value is not an integer or out of range", notInteger.Message);
        Assert.Equal("ERR", notInteger.ErrorPrefix);
        Assert.Equal("WRONGTYPE", wrongType.ErrorPrefix);
        Assert.Equal("not a number", (await _redis.ExecuteAsync("GET", key)).AsString());
    }

    [Fact]
    public async Task Integer_replies_come_back_as_integers()
    {
        var key = RedisTestKeys.New("integer");

        var reply = await _redis.ExecuteAsync("INCRBY", key, -7L);

        Assert.Equal((RedisReplyKind.Integer, -7L), (reply.Kind, reply.AsInt64()));
    }

    [Fact]
    public async Task Bulk_strings_round_trip_binary_empty_and_unicode_values_byte_for_byte()
    {
        byte[] binary = [0, 13, 10, 255, 36, 42, 13, 10, 0];
        var values = new Dictionary<string, byte[]>
        {
            [RedisTestKeys.New("binary")] = binary,
            [RedisTestKeys.New("empty")] = [],
            [RedisTestKeys.New("unicode")] = Encoding.UTF8.GetBytes("Zürich → 東京 💶"),
        };
        foreach (var (key, value) in values) await _redis.ExecuteAsync("SET", key, value);

        foreach (var (key, value) in values)
        {
            var reply = await _redis.ExecuteAsync("GET", key);
            Assert.Equal(RedisReplyKind.BulkString, reply.Kind);
            Assert.Equal(value, reply.AsBytes());
        }
        Assert.Equal("Zürich → 東京 💶", await _redis.GetAsync(values.Keys.Last()));
    }

    [Fact]
    public async Task A_value_larger_than_many_socket_reads_round_trips_intact_between_small_replies()
    {
        var key = RedisTestKeys.New("large");
        var large = new byte[4 * 1024 * 1024];
        Random.Shared.NextBytes(large);
        await _redis.ExecuteAsync("SET", key, large);

        var replies = await Task.WhenAll(_redis.ExecuteAsync("PING"), _redis.ExecuteAsync("GET", key), _redis.ExecuteAsync("ECHO", "after"));

        Assert.Equal("PONG", replies[0].AsString());
        Assert.Equal(large, replies[1].AsBytes());
        Assert.Equal("after", replies[2].AsString());
    }

    [Fact]
    public async Task A_missing_key_and_a_timed_out_pop_are_null_replies()
    {
        var bulkNull = await _redis.ExecuteAsync("GET", RedisTestKeys.New("missing"));
        // BLPOP answers *-1, the null array, when its own server-side timeout passes.
        var arrayNull = await _redis.ExecuteAsync("BLPOP", RedisTestKeys.New("empty-list"), 0.05);

        Assert.True(bulkNull.IsNull);
        Assert.True(arrayNull.IsNull);
        Assert.Null(bulkNull.AsString());
    }

    [Fact]
    public async Task Arrays_come_back_in_order_including_empty_and_nested_arrays_of_mixed_types()
    {
        var list = RedisTestKeys.New("list");
        await _redis.ExecuteAsync("RPUSH", list, "a", "b", "c");

        var flat = await _redis.ExecuteAsync("LRANGE", list, 0, -1);
        var empty = await _redis.ExecuteAsync("LRANGE", RedisTestKeys.New("no-list"), 0, -1);
        var nested = await _redis.ExecuteAsync("EVAL",
            "return {1, 'two', {3, redis.status_reply('FOUR'), redis.error_reply('FIVE failed')}}", 0);

        Assert.Equal(["a", "b", "c"], flat.AsArray().Select(v => v.AsString()));
        Assert.Equal((RedisReplyKind.Array, 0), (empty.Kind, empty.AsArray().Count));
        var items = nested.AsArray();
        Assert.Equal((RedisReplyKind.Integer, 1L), (items[0].Kind, items[0].AsInt64()));
        Assert.Equal((RedisReplyKind.BulkString, "two"), (items[1].Kind, items[1].AsString()));
        var inner = items[2].AsArray();
        Assert.Equal(3, inner[0].AsInt64());
        Assert.Equal((RedisReplyKind.SimpleString, "FOUR"), (inner[1].Kind, inner[1].AsString()));
        // An error inside an array is data, not a failure of the whole command.
        Assert.Equal((RedisReplyKind.Error, "FIVE failed"), (inner[2].Kind, inner[2].AsString()));
    }

    [Fact]
    public async Task Arguments_of_an_unsupported_type_are_refused_before_anything_is_sent()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => _redis.ExecuteAsync("SET", "k", DateTime.UtcNow));

        var misplacedToken = await Assert.ThrowsAsync<ArgumentException>(() => _redis.ExecuteAsync("GET", "k", CancellationToken.None));

        Assert.Contains("DateTime", error.Message);
        Assert.Contains("ExecuteAsync(command, args, timeout, ct)", misplacedToken.Message);
        Assert.Equal("PONG", (await _redis.ExecuteAsync("PING")).AsString());
    }
}
