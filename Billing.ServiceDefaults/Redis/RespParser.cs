using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Billing.ServiceDefaults.Redis;

/// <summary>
/// Reads RESP2 replies from whatever bytes have arrived so far. A reply cut off by a partial read
/// is not an error: <see cref="TryRead"/> consumes nothing and waits for more bytes.
/// </summary>
internal static class RespParser
{
    /// <summary>Bulk strings above Redis's own proto-max-bulk-len default are treated as a corrupt stream.</summary>
    private const long MaxBulkLength = 512L * 1024 * 1024;

    /// <summary>
    /// Reads one complete reply from the start of <paramref name="buffer"/>. Returns false, with
    /// <paramref name="consumed"/> at the start, when the reply is not complete yet.
    /// Throws <see cref="InvalidDataException"/> when the bytes are not RESP.
    /// </summary>
    public static bool TryRead(ReadOnlySequence<byte> buffer, out RedisValue value, out SequencePosition consumed)
    {
        var reader = new SequenceReader<byte>(buffer);
        if (TryRead(ref reader, out value))
        {
            consumed = reader.Position;
            return true;
        }
        consumed = buffer.Start;
        return false;
    }

    private static bool TryRead(ref SequenceReader<byte> reader, out RedisValue value)
    {
        value = RedisValue.Null;
        if (!reader.TryRead(out var prefix) || !TryReadLine(ref reader, out var line)) return false;
        switch (prefix)
        {
            case (byte)'+':
                value = RedisValue.SimpleString(Encoding.UTF8.GetString(line));
                return true;
            case (byte)'-':
                value = RedisValue.Error(Encoding.UTF8.GetString(line));
                return true;
            case (byte)':':
                value = RedisValue.Integer(ParseInteger(line));
                return true;
            case (byte)'$':
                return TryReadBulk(ref reader, ParseInteger(line), out value);
            case (byte)'*':
                return TryReadArray(ref reader, ParseInteger(line), out value);
            default:
                throw new InvalidDataException($"Unexpected RESP type byte 0x{prefix:x2}.");
        }
    }

    private static bool TryReadBulk(ref SequenceReader<byte> reader, long length, out RedisValue value)
    {
        value = RedisValue.Null;
        if (length == -1) return true;
        if (length is < 0 or > MaxBulkLength) throw new InvalidDataException($"Invalid RESP bulk length {length}.");
        if (reader.Remaining < length + 2) return false;
        var bytes = new byte[length];
        reader.TryCopyTo(bytes);
        reader.Advance(length);
        if (!reader.IsNext("\r\n"u8, advancePast: true)) throw new InvalidDataException("RESP bulk string not followed by CRLF.");
        value = RedisValue.BulkString(bytes);
        return true;
    }

    private static bool TryReadArray(ref SequenceReader<byte> reader, long count, out RedisValue value)
    {
        value = RedisValue.Null;
        if (count == -1) return true;
        if (count < 0) throw new InvalidDataException($"Invalid RESP array length {count}.");
        // Every element takes at least a few bytes, so a larger count cannot be complete yet.
        if (count > reader.Remaining) return false;
        var items = new RedisValue[count];
        for (var i = 0; i < count; i++)
            if (!TryRead(ref reader, out items[i])) return false;
        value = RedisValue.Array(items);
        return true;
    }

    private static bool TryReadLine(ref SequenceReader<byte> reader, out byte[] line)
    {
        if (reader.TryReadTo(out ReadOnlySequence<byte> sequence, "\r\n"u8, advancePastDelimiter: true))
        {
            line = sequence.ToArray();
            return true;
        }
        line = [];
        return false;
    }

    private static long ParseInteger(byte[] line) =>
        Utf8Parser.TryParse(line, out long number, out var used) && used == line.Length
            ? number
            : throw new InvalidDataException($"Invalid RESP integer '{Encoding.ASCII.GetString(line)}'.");
}
