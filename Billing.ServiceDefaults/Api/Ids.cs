using System.Security.Cryptography;

namespace Billing.ServiceDefaults.Api;

/// <summary>
/// Prefixed, opaque ids (<c>plan_…</c>) that sort by creation time: 48 bits of milliseconds then
/// 80 random bits, in lower-case Crockford base32. Sorting by id is sorting by age, which is what
/// cursor paging needs.
/// </summary>
public static class Ids
{
    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

    public static string New(string prefix) => New(prefix, DateTimeOffset.UtcNow);

    public static string New(string prefix, DateTimeOffset at)
    {
        Span<byte> bytes = stackalloc byte[16];
        var ms = (ulong)at.ToUnixTimeMilliseconds();
        for (var i = 0; i < 6; i++) bytes[i] = (byte)(ms >> (8 * (5 - i)));
        RandomNumberGenerator.Fill(bytes[6..]);
        return $"{prefix}_{Encode(bytes)}";
    }

    public static bool HasPrefix(string? id, string prefix) =>
        id is not null && id.Length == prefix.Length + 27 && id.StartsWith(prefix + "_", StringComparison.Ordinal)
        && id.AsSpan(prefix.Length + 1).IndexOfAnyExcept(Alphabet) < 0;

    private static string Encode(ReadOnlySpan<byte> bytes)
    {
        // 128 bits -> 26 characters of 5 bits each (the first carries 3 bits).
        var value = new System.Numerics.BigInteger(bytes, isUnsigned: true, isBigEndian: true);
        Span<char> chars = stackalloc char[26];
        for (var i = 25; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(value & 31)];
            value >>= 5;
        }
        return new string(chars);
    }
}
