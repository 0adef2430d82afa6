using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Billing.ServiceDefaults.Redis;

/// <summary>
/// Turns a command and its arguments into the RESP request format: an array of bulk strings.
/// Runs on the caller's thread, so a bad argument fails that caller alone and the shared
/// writer loop only copies finished bytes.
/// </summary>
internal static class RespEncoder
{
    public static byte[] Encode(string command, IReadOnlyList<object> args)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        var parts = new byte[args.Count + 1][];
        parts[0] = Encoding.UTF8.GetBytes(command);
        for (var i = 0; i < args.Count; i++)
            parts[i + 1] = ToBytes(args[i], i);

        var length = 1 + DigitCount(parts.Length) + 2;
        foreach (var part in parts)
            length += 1 + DigitCount(part.Length) + 2 + part.Length + 2;

        var buffer = new byte[length];
        var position = 0;
        WriteHeader(buffer, ref position, (byte)'*', parts.Length);
        foreach (var part in parts)
        {
            WriteHeader(buffer, ref position, (byte)'$', part.Length);
            part.CopyTo(buffer, position);
            position += part.Length;
            buffer[position++] = (byte)'\r';
            buffer[position++] = (byte)'\n';
        }
        return buffer;
    }

    private static byte[] ToBytes(object? arg, int index) => arg switch
    {
        string text => Encoding.UTF8.GetBytes(text),
        byte[] bytes => bytes,
        ReadOnlyMemory<byte> memory => memory.ToArray(),
        int or long or short or uint or ulong or ushort or byte or sbyte =>
            Encoding.ASCII.GetBytes(((IFormattable)arg).ToString(null, CultureInfo.InvariantCulture)),
        // Redis reads floats with strtold: "R" round-trips, and infinities have their own spelling.
        double number => Encoding.ASCII.GetBytes(FormatFloat(number)),
        float number => Encoding.ASCII.GetBytes(FormatFloat(number)),
        null => throw new ArgumentNullException($"args[{index}]", "Redis arguments cannot be null."),
        // The easy slip with a params overload: a token or limit meant for the call lands among the arguments.
        CancellationToken or TimeSpan => throw new ArgumentException(
            $"Redis argument {index} is a {arg.GetType().Name}; pass a time limit or token through ExecuteAsync(command, args, timeout, ct).", $"args[{index}]"),
        _ => throw new ArgumentException(
            $"Redis argument {index} has type {arg.GetType().Name}; pass a string, a byte[] or a number.", $"args[{index}]"),
    };

    private static string FormatFloat(double number) => double.IsPositiveInfinity(number) ? "+inf"
        : double.IsNegativeInfinity(number) ? "-inf"
        : number.ToString("R", CultureInfo.InvariantCulture);

    private static void WriteHeader(byte[] buffer, ref int position, byte prefix, int length)
    {
        buffer[position++] = prefix;
        Utf8Formatter.TryFormat(length, buffer.AsSpan(position), out var written);
        position += written;
        buffer[position++] = (byte)'\r';
        buffer[position++] = (byte)'\n';
    }

    private static int DigitCount(int value)
    {
        var digits = 1;
        for (; value >= 10; value /= 10) digits++;
        return digits;
    }
}
