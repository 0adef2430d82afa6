using System.Globalization;
using System.Text;

namespace Billing.ServiceDefaults.Redis;

/// <summary>The five kinds of RESP2 reply, with null split out of bulk strings and arrays.</summary>
public enum RedisReplyKind
{
    SimpleString,
    Error,
    Integer,
    BulkString,
    Null,
    Array,
}

/// <summary>
/// One reply from Redis. Bulk strings keep their bytes, because Redis values are binary-safe
/// and not every value is UTF-8 text; the <c>As…</c> methods convert with Redis's own rules.
/// </summary>
public sealed class RedisValue
{
    private readonly string? _text;
    private readonly byte[]? _bytes;
    private readonly long _integer;
    private readonly IReadOnlyList<RedisValue>? _items;

    private RedisValue(RedisReplyKind kind, string? text = null, byte[]? bytes = null, long integer = 0, IReadOnlyList<RedisValue>? items = null)
    {
        Kind = kind;
        _text = text;
        _bytes = bytes;
        _integer = integer;
        _items = items;
    }

    /// <summary>The nil reply (<c>$-1</c> or <c>*-1</c>): a missing key, a SET NX that did not set, a timed-out BLPOP.</summary>
    public static readonly RedisValue Null = new(RedisReplyKind.Null);

    public static RedisValue SimpleString(string text) => new(RedisReplyKind.SimpleString, text: text);
    public static RedisValue Error(string message) => new(RedisReplyKind.Error, text: message);
    public static RedisValue Integer(long value) => new(RedisReplyKind.Integer, integer: value);
    public static RedisValue BulkString(byte[] bytes) => new(RedisReplyKind.BulkString, bytes: bytes);
    public static RedisValue Array(IReadOnlyList<RedisValue> items) => new(RedisReplyKind.Array, items: items);

    public RedisReplyKind Kind { get; }

    public bool IsNull => Kind == RedisReplyKind.Null;

    /// <summary>The text of a simple string, error or bulk string (UTF-8), an integer in invariant digits, or null for nil.</summary>
    public string? AsString() => Kind switch
    {
        RedisReplyKind.SimpleString or RedisReplyKind.Error => _text,
        RedisReplyKind.BulkString => Encoding.UTF8.GetString(_bytes!),
        RedisReplyKind.Integer => _integer.ToString(CultureInfo.InvariantCulture),
        RedisReplyKind.Null => null,
        _ => throw Mismatch("a string"),
    };

    /// <summary>The raw bytes of a bulk string, or null for nil.</summary>
    public byte[]? AsBytes() => Kind switch
    {
        RedisReplyKind.BulkString => _bytes,
        RedisReplyKind.SimpleString => Encoding.UTF8.GetBytes(_text!),
        RedisReplyKind.Null => null,
        _ => throw Mismatch("bytes"),
    };

    /// <summary>An integer reply, or a string reply holding an integer (as GET returns what INCR stored).</summary>
    public long AsInt64()
    {
        if (Kind == RedisReplyKind.Integer) return _integer;
        if (Kind is RedisReplyKind.BulkString or RedisReplyKind.SimpleString
            && long.TryParse(AsString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
            return parsed;
        throw Mismatch("an integer");
    }

    /// <summary>The elements of an array reply; nil is treated as an empty array, as Redis clients commonly do.</summary>
    public IReadOnlyList<RedisValue> AsArray() => Kind switch
    {
        RedisReplyKind.Array => _items!,
        RedisReplyKind.Null => [],
        _ => throw Mismatch("an array"),
    };

    public override string ToString() => Kind switch
    {
        RedisReplyKind.Null => "(nil)",
        RedisReplyKind.Array => $"array[{_items!.Count}]",
        RedisReplyKind.Error => $"error: {_text}",
        _ => AsString()!,
    };

    private InvalidCastException Mismatch(string wanted) => new($"A Redis {Kind} reply cannot be read as {wanted}.");
}
