using Billing.Stripe.Tests.Sandbox.Support;
using Microsoft.Playwright;
using Xunit;

namespace Billing.Stripe.Tests.Sandbox;

/// <summary>The hosted checkout page driven by a real headless Chromium (Debian's, through Playwright).</summary>
public sealed class CheckoutBrowserTests
{
    [Fact]
    public async Task A_person_pays_on_the_checkout_page_and_lands_on_the_success_url()
    {
        await using var host = await SandboxHost.StartAsync();
        var (_, monthly, _) = await Fixtures.Plan(host.Stripe, 1200);
        // The success URL is the sandbox's own health page, so the browser has somewhere real to land.
        var session = await host.Stripe.Create("/v1/checkout/sessions", ("mode", "subscription"), ("line_items[0][price]", monthly),
            ("line_items[0][quantity]", "1"), ("customer_email", "browser@example.com"),
            ("success_url", host.BaseUrl + "/health?session_id={CHECKOUT_SESSION_ID}"), ("cancel_url", host.BaseUrl + "/health?canceled=1"));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync();
        await page.GotoAsync(session["url"]!.GetValue<string>());
        Assert.Contains("12.00 USD", await page.InnerTextAsync("body"));
        Assert.Equal(host.BaseUrl + "/health?canceled=1", await page.GetAttributeAsync("#cancel", "href"));

        await page.FillAsync("#card", "4000 0000 0000 0002");
        await page.ClickAsync("#pay");
        Assert.Contains("declined", await page.InnerTextAsync("[role=alert]"));

        await page.FillAsync("#card", "4242 4242 4242 4242");
        await page.FillAsync("#name", "Jenny Rosen");
        await page.ClickAsync("#pay");
        await page.WaitForURLAsync("**/health?session_id=*");

        Assert.Equal(host.BaseUrl + "/health?session_id=" + session.Id(), page.Url);
        var done = await host.Stripe.Fetch($"/v1/checkout/sessions/{session.Id()}");
        Assert.Equal("complete", done["status"]!.GetValue<string>());
        Assert.Equal("Jenny Rosen", done["customer_details"]!["name"]!.GetValue<string>());
        var sub = await host.Stripe.Fetch($"/v1/subscriptions/{done["subscription"]!.GetValue<string>()}");
        Assert.Equal("active", sub["status"]!.GetValue<string>());
    }
}
