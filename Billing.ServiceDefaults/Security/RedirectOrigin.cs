using System.Globalization;

namespace Billing.ServiceDefaults.Security;

/// <summary>
/// One entry of an app's redirect allowlist: an exact origin (<c>https://shop.example.com</c>),
/// a wildcard of subdomains (<c>https://*.example.com</c>, not the bare domain), or a local
/// development origin (<c>http://localhost:5173</c>). Plain http is only for localhost.
/// </summary>
public sealed record RedirectOrigin(string Scheme, string Host, int Port, bool AnySubdomain)
{
    private static readonly IdnMapping Idn = new();

    public override string ToString() =>
        $"{Scheme}://{(AnySubdomain ? "*." : "")}{Host}{(Port == DefaultPort(Scheme) ? "" : $":{Port}")}";

    /// <summary>Parses an allowlist entry; false with a reason for anything that is not a bare origin.</summary>
    public static bool TryParse(string? entry, out RedirectOrigin? origin, out string reason)
    {
        origin = null;
        reason = "";
        if (string.IsNullOrWhiteSpace(entry) || entry.Length > 255) return Fail("must be a non-empty origin", out reason);
        var text = entry.Trim();
        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0) return Fail("must start with https:// or http://localhost", out reason);
        var scheme = text[..schemeEnd].ToLowerInvariant();
        if (scheme is not ("https" or "http")) return Fail("scheme must be https (or http for localhost)", out reason);

        var authority = text[(schemeEnd + 3)..].TrimEnd('/');
        if (authority.Length == 0 || authority.IndexOfAny(['/', '?', '#', '@', '\\', '%', ' ']) >= 0)
            return Fail("must be an origin only: scheme, host and optional port, nothing else", out reason);

        var anySubdomain = authority.StartsWith("*.", StringComparison.Ordinal);
        if (anySubdomain) authority = authority[2..];
        if (authority.Contains('*')) return Fail("a wildcard may only be the first label (https://*.example.com)", out reason);

        var (host, port) = SplitPort(authority, scheme);
        if (port is null) return Fail("port must be a number from 1 to 65535", out reason);
        if (NormalizeHost(host) is not { } normalized) return Fail("host is not a valid domain name", out reason);
        var isLocal = IsLocalhost(normalized);
        if (scheme == "http" && !isLocal) return Fail("http is allowed only for localhost; use https", out reason);
        if (anySubdomain && (isLocal || !normalized.Contains('.')))
            return Fail("a wildcard needs a registrable domain under it (https://*.example.com)", out reason);

        origin = new RedirectOrigin(scheme, normalized, port.Value, anySubdomain);
        return true;
    }

    /// <summary>True when <paramref name="url"/>'s origin is this entry (already normalized by <see cref="RedirectAllowlist"/>).</summary>
    internal bool Matches(string scheme, string host, int port)
    {
        if (scheme != Scheme || port != Port) return false;
        return AnySubdomain ? host.EndsWith("." + Host, StringComparison.Ordinal) : host == Host;
    }

    /// <summary>Lower-case ASCII (punycode) host, or null when it is not a plain DNS name or IPv4 loopback.</summary>
    internal static string? NormalizeHost(string host)
    {
        if (host.Length == 0 || host.EndsWith('.') || host.StartsWith('.') || host.Contains("..")) return null;
        string ascii;
        try { ascii = Idn.GetAscii(host).ToLowerInvariant(); }
        catch (ArgumentException) { return null; }
        foreach (var label in ascii.Split('.'))
        {
            if (label.Length is 0 or > 63 || label.StartsWith('-') || label.EndsWith('-')) return null;
            if (!label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')) return null;
        }
        return ascii;
    }

    internal static bool IsLocalhost(string host) => host is "localhost" or "127.0.0.1";

    internal static int DefaultPort(string scheme) => scheme == "https" ? 443 : 80;

    private static (string Host, int? Port) SplitPort(string authority, string scheme)
    {
        var colon = authority.LastIndexOf(':');
        if (colon < 0) return (authority, DefaultPort(scheme));
        var digits = authority[(colon + 1)..];
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535 && digits.Length <= 5
            ? (authority[..colon], port)
            : (authority[..colon], null);
    }

    private static bool Fail(string message, out string reason)
    {
        reason = message;
        return false;
    }
}
