using System.Net.Http.Json;
using Billing.Contracts;
using Billing.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Billing.Tests.EndToEnd;

/// <summary>The developer's dashboard page behind the gateway, driven by a real headless Chromium (Debian's, through Playwright).</summary>
[Collection(InfrastructureCollection.Name)]
public sealed class DashboardPageTests(SystemFixture system) : IClassFixture<SystemFixture>
{
    [Fact]
    public async Task The_chart_shows_the_numbers_the_api_returns_and_upgrade_reaches_the_sandboxs_checkout_page()
    {
        var tenant = await system.NewTenantAsync();
        await system.Plans.PlatformTierAsync("starter"); // the seeded tier ($19.00 a month), synced to this sandbox
        // The platform's own metering records the developer's usage on the platform app (straight to the service, as the platform does).
        var now = DateTimeOffset.UtcNow.AddMinutes(-1);
        using var platform = system.Usage.ClientFor(PlatformApp.Id);
        var events = new[]
        {
            UsageSteps.Event("d-" + Guid.NewGuid(), tenant.AccountId, "ai_tokens", 1200, now.AddDays(-2)),
            UsageSteps.Event("d-" + Guid.NewGuid(), tenant.AccountId, "ai_tokens", 300, now.AddDays(-1)),
            UsageSteps.Event("d-" + Guid.NewGuid(), tenant.AccountId, "ai_tokens", 4500, now),
            UsageSteps.Event("d-" + Guid.NewGuid(), tenant.AccountId, "lambda_invocations", 42, now.AddDays(-1)),
            UsageSteps.Event("d-" + Guid.NewGuid(), tenant.AccountId, "storage_bytes", 1_000_000, now),
        };
        using (var sent = await platform.PostAsJsonAsync($"/v1/{PlatformApp.Id}/usage/events", new { events }))
            Assert.Equal(202, (int)sent.StatusCode);
        using var account = tenant.AccountClient(system.Gateway);
        var (start, end) = (now.AddDays(-29).ToString("yyyy-MM-dd"), DateTimeOffset.UtcNow.ToString("yyyy-MM-dd"));
        var api = (await account.GetAsync($"/dashboard/usage?startDate={start}&endDate={end}", 200)).GetProperty("data").EnumerateArray()
            .Select(d => (d.GetProperty("date").GetString()!, d.GetProperty("meter").GetString()!, d.GetProperty("quantity").GetInt64())).ToList();
        var billing = await account.GetAsync("/dashboard/billing", 200);
        Assert.Equal(5, api.Count);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync();
        var gateway = system.Gateway.Address.ToString().TrimEnd('/');
        await page.GotoAsync(gateway + "/dashboard");
        await page.FillAsync("#token", tenant.AccountToken);
        await page.ClickAsync("#signin-button");
        await page.WaitForSelectorAsync("#chart[data-loaded]");

        Assert.Equal(billing.GetProperty("tier").GetString(), await page.InnerTextAsync("#tier"));
        Assert.Equal(billing.GetProperty("status").GetString(), await page.InnerTextAsync("#status"));
        Assert.Equal(api.OrderBy(p => p), (await ChartAsync(page)).OrderBy(p => p));
        foreach (var usage in billing.GetProperty("usage").EnumerateArray())
        {
            var figures = await page.InnerTextAsync($"#limits .row[data-meter='{usage.GetProperty("meter").GetString()}'] .figures");
            Assert.StartsWith(usage.GetProperty("quantity").GetInt64().ToString("N0", System.Globalization.CultureInfo.InvariantCulture) + " / ", figures);
        }

        await page.SelectOptionAsync("#meter", "ai_tokens");
        await page.ClickAsync("#apply");
        await page.WaitForSelectorAsync("#chart[data-loaded*='meterType=ai_tokens']");
        Assert.Equal(api.Where(p => p.Item2 == "ai_tokens").OrderBy(p => p), (await ChartAsync(page)).OrderBy(p => p));

        await page.SelectOptionAsync("#upgrade-tier", "starter");
        await page.ClickAsync("#upgrade");
        // Either the browser reaches the sandbox's checkout page, or the page shows why not (then the test says it).
        var reached = await SystemFixture.EventuallyAsync(async () => (page.Url, Error: await ErrorShownAsync(page)),
            state => state.Url.StartsWith(system.Sandbox.BaseUrl, StringComparison.Ordinal) || state.Error.Length > 0, TimeSpan.FromSeconds(60));
        Assert.True(reached.Url.StartsWith(system.Sandbox.BaseUrl, StringComparison.Ordinal), $"Still on {reached.Url}: {reached.Error}");
        await page.WaitForLoadStateAsync(LoadState.Load);
        Assert.Contains("19.00 USD", await page.InnerTextAsync("body"));
    }

    private static async Task<string> ErrorShownAsync(IPage page)
    {
        try
        {
            return await page.EvaluateAsync<string>("() => document.getElementById('error')?.textContent ?? ''");
        }
        catch (PlaywrightException)
        {
            return ""; // navigating away: the context is gone, which is what the test waits for
        }
    }

    private static async Task<List<(string, string, long)>> ChartAsync(IPage page) =>
        (await page.EvalOnSelectorAllAsync<string[][]>("#chart rect", "rects => rects.map(r => [r.dataset.date, r.dataset.meter, r.dataset.quantity])"))
        .Select(r => (r[0], r[1], long.Parse(r[2]))).ToList();
}
