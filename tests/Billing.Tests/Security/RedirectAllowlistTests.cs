using Billing.ServiceDefaults.Errors;
using Billing.ServiceDefaults.Security;

namespace Billing.Tests.Security;

public sealed class RedirectAllowlistTests
{
    private static readonly RedirectAllowlist Allowlist = RedirectAllowlist.From(
        ["https://shop.example.com", "https://*.apps.example.org", "http://localhost:5173", "https://pay.example.net:8443"]);

    [Theory]
    [InlineData("https://shop.example.com")]
    [InlineData("https://shop.example.com/")]
    [InlineData("https://shop.example.com/thanks?session={CHECKOUT_SESSION_ID}")]
    [InlineData("https://shop.example.com/a/b?x=1#done")]
    [InlineData("HTTPS://SHOP.EXAMPLE.COM/Thanks")]
    [InlineData("https://shop.example.com:443/explicit-default-port")]
    [InlineData("https://a.apps.example.org/return")]
    [InlineData("https://a.b.apps.example.org/deep")]
    [InlineData("http://localhost:5173/success")]
    [InlineData("https://pay.example.net:8443/ok")]
    [InlineData("https://shop.example.com/path%20with%20encoded%20space")]
    public void Allows_urls_on_the_allowlist(string url) => Assert.True(Allowlist.IsAllowed(url), url);

    [Theory]
    [InlineData("https://example.com.evil.com/")]
    [InlineData("https://shop.example.com.evil.com/")]
    [InlineData("https://shop.example.com@evil.com/")]
    [InlineData("https://user:pass@shop.example.com/")]
    [InlineData("//evil.com/")]
    [InlineData("//shop.example.com/")]
    [InlineData("javascript:alert(1)")]
    [InlineData("javascript://shop.example.com/%0aalert(1)")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    [InlineData("https:\\\\evil.com")]
    [InlineData("https://shop.example.com\\@evil.com/")]
    [InlineData("https://evil.com\\shop.example.com")]
    [InlineData("https://shop%2eexample%2ecom/")]
    [InlineData("https://shop.example.com%2f@evil.com/")]
    [InlineData("https://shop.exаmple.com/")] // Cyrillic 'а'
    [InlineData("https://xn--shop-example-com.evil/")]
    [InlineData("https://xn--exmple-cua.com/")]
    [InlineData("http://shop.example.com/")] // plain http for a non-local host
    [InlineData("ftp://shop.example.com/")]
    [InlineData("shop.example.com/thanks")]
    [InlineData("/relative/path")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("https://apps.example.org/")] // the bare domain under a wildcard
    [InlineData("https://evilapps.example.org/")]
    [InlineData("https://a.apps.example.org.evil.com/")]
    [InlineData("http://localhost:3000/")] // another local port
    [InlineData("http://localhost/")]
    [InlineData("https://shop.example.com:8443/")] // another port
    [InlineData("https://pay.example.net/")] // default port where 8443 is listed
    [InlineData("https://shop.example.com./")] // trailing dot
    [InlineData(" https://shop.example.com/")]
    [InlineData("https://shop.example.com/\nLocation: https://evil.com")]
    [InlineData("https://shop.example.com\t.evil.com/")]
    [InlineData("https://[::1]/")]
    [InlineData("https://shop.example.com:99999/")]
    [InlineData("https://shop.example.com:/")]
    public void Refuses_look_alikes_and_anything_unusual(string? url) => Assert.False(Allowlist.IsAllowed(url), url);

    [Fact]
    public void EnsureAllowed_answers_400_redirect_url_not_allowed_naming_the_field()
    {
        var error = Assert.Throws<ApiException>(() => Allowlist.EnsureAllowed("https://evil.com/", "successUrl"));

        Assert.Equal(400, error.Status);
        Assert.Equal("redirect_url_not_allowed", error.Code);
        Assert.True(error.Errors!.ContainsKey("successUrl"));
    }

    [Fact]
    public void An_empty_allowlist_allows_nothing() => Assert.False(RedirectAllowlist.From([]).IsAllowed("https://shop.example.com/"));

    [Theory]
    [InlineData("https://shop.example.com", "https://shop.example.com")]
    [InlineData("HTTPS://Shop.Example.com/", "https://shop.example.com")]
    [InlineData("https://*.example.com", "https://*.example.com")]
    [InlineData("http://localhost:5173", "http://localhost:5173")]
    [InlineData("https://bücher.example", "https://xn--bcher-kva.example")]
    public void Allowlist_entries_are_normalized(string entry, string expected)
    {
        Assert.True(RedirectOrigin.TryParse(entry, out var origin, out var reason), reason);
        Assert.Equal(expected, origin!.ToString());
    }

    [Theory]
    [InlineData("http://shop.example.com")]
    [InlineData("https://shop.example.com/path")]
    [InlineData("https://user@shop.example.com")]
    [InlineData("https://*.com")]
    [InlineData("https://a.*.example.com")]
    [InlineData("https://*example.com")]
    [InlineData("*.example.com")]
    [InlineData("javascript:alert(1)")]
    [InlineData("https://shop.example.com:0")]
    [InlineData("")]
    public void Invalid_allowlist_entries_are_refused_with_a_reason(string entry)
    {
        Assert.False(RedirectOrigin.TryParse(entry, out _, out var reason));
        Assert.NotEmpty(reason);
    }
}
