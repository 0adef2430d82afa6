using Billing.ServiceDefaults.Errors;

namespace Billing.ServiceDefaults.Security;

/// <summary>
/// Decides whether a success, cancel, return or refresh URL may be used: it must be an absolute
/// http(s) URL whose origin is on the app's allowlist. Anything unusual is refused rather than
/// interpreted, because browsers and URL parsers disagree on the unusual (backslashes, userinfo,
/// encoded hosts, control characters), and that disagreement is how open redirects happen.
/// </summary>
public sealed class RedirectAllowlist
{
    private readonly IReadOnlyList<RedirectOrigin> _origins;

    public RedirectAllowlist(IEnumerable<RedirectOrigin> origins) => _origins = origins.ToList();

    /// <summary>From stored entries; entries that do not parse are ignored (they were validated when saved).</summary>
    public static RedirectAllowlist From(IEnumerable<string> entries) =>
        new(entries.Select(e => RedirectOrigin.TryParse(e, out var origin, out _) ? origin : null).OfType<RedirectOrigin>());

    public bool IsAllowed(string? url) => Origin(url) is { } o && _origins.Any(allowed => allowed.Matches(o.Scheme, o.Host, o.Port));

    /// <summary>Throws 400 <c>redirect_url_not_allowed</c> naming the field when the URL is not allowed.</summary>
    public void EnsureAllowed(string? url, string field)
    {
        if (IsAllowed(url)) return;
        var problem = new ApiException(400, ErrorCodes.RedirectUrlNotAllowed,
            $"{field} must be an https URL on the app's redirect allowlist.",
            new Dictionary<string, string[]> { [field] = ["not on the app's redirect allowlist"] });
        throw problem;
    }

    private static (string Scheme, string Host, int Port)? Origin(string? url)
    {
        if (string.IsNullOrEmpty(url) || url.Length > 2048) return null;
        // Backslashes, whitespace and control characters are read differently by browsers and parsers.
        if (url.Any(c => c == '\\' || char.IsWhiteSpace(c) || char.IsControl(c))) return null;
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0) return null;
        var scheme = url[..schemeEnd];
        if (!scheme.Equals("https", StringComparison.OrdinalIgnoreCase) && !scheme.Equals("http", StringComparison.OrdinalIgnoreCase)) return null;

        var rest = url[(schemeEnd + 3)..];
        var authorityEnd = rest.IndexOfAny(['/', '?', '#']);
        var authority = authorityEnd < 0 ? rest : rest[..authorityEnd];
        // No userinfo (https://allowed.com@evil.com), no encoded or non-ASCII tricks in the host.
        if (authority.Length == 0 || authority.IndexOfAny(['@', '%', '[', ']']) >= 0 || authority.Any(c => c > 127)) return null;

        var normalizedScheme = scheme.ToLowerInvariant();
        var colon = authority.LastIndexOf(':');
        var host = colon < 0 ? authority : authority[..colon];
        var port = RedirectOrigin.DefaultPort(normalizedScheme);
        if (colon >= 0)
        {
            var digits = authority[(colon + 1)..];
            if (digits.Length is 0 or > 5 || !digits.All(char.IsAsciiDigit)) return null;
            port = int.Parse(digits);
            if (port is 0 or > 65535) return null;
        }
        if (RedirectOrigin.NormalizeHost(host) is not { } normalizedHost) return null;
        if (normalizedScheme == "http" && !RedirectOrigin.IsLocalhost(normalizedHost)) return null;

        // The framework's parser must agree on the host, or we refuse.
        if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || !parsed.IdnHost.Equals(normalizedHost, StringComparison.OrdinalIgnoreCase)
            || parsed.Port != port || parsed.UserInfo.Length > 0)
            return null;
        return (normalizedScheme, normalizedHost, port);
    }
}
