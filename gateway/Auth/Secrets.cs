using System.Security.Cryptography;
using System.Text;

namespace Billing.Gateway.Auth;

/// <summary>
/// The bearer secrets of API.md, recognisable by prefix: operator <c>bop_</c>, account token
/// <c>bat_</c>, secret key <c>bk_test_</c>/<c>bk_live_</c>, publishable key <c>bpk_test_</c>/<c>bpk_live_</c>.
/// Each is 256 bits from the CSPRNG, so a plain SHA-256 is a safe way to store and look it up
/// (a slow password hash defends low-entropy secrets; these are not guessable).
/// </summary>
public static class Secrets
{
    public const string OperatorPrefix = "bop_";
    public const string AccountTokenPrefix = "bat_";
    private const int RandomBytes = 32;
    private const int MaxLength = 200;

    public static string NewAccountToken() => New(AccountTokenPrefix);

    /// <summary>The prefix of an app key of this type and mode: <c>bk_live_</c>, <c>bpk_test_</c>, …</summary>
    public static string KeyPrefix(string type, string mode) => $"{(type == "publishable" ? "bpk" : "bk")}_{mode}_";

    public static string New(string prefix) =>
        prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(RandomBytes));

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    /// <summary>True for a string shaped like one of our secrets (prefix, sane length), before any lookup.</summary>
    public static bool LooksLikeAppKey(string secret) =>
        secret.Length <= MaxLength && (secret.StartsWith("bk_test_", StringComparison.Ordinal) || secret.StartsWith("bk_live_", StringComparison.Ordinal)
            || secret.StartsWith("bpk_test_", StringComparison.Ordinal) || secret.StartsWith("bpk_live_", StringComparison.Ordinal));

    public static bool LooksLikeAccountToken(string secret) =>
        secret.Length <= MaxLength && secret.StartsWith(AccountTokenPrefix, StringComparison.Ordinal);

    public static bool LooksLikeOperatorKey(string secret) =>
        secret.Length <= MaxLength && secret.StartsWith(OperatorPrefix, StringComparison.Ordinal);

    /// <summary>What a list shows of a secret: its prefix and last four characters.</summary>
    public static string Mask(string prefix, string last4) => $"{prefix}…{last4}";
}
