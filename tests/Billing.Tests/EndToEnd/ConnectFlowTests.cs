using System.Net.Http.Json;
using System.Text.Json;
using Billing.Connect.Payouts;
using Billing.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Billing.Tests.EndToEnd;

/// <summary>Connect end to end: the app's account onboarded on the hosted page, a creator earning and being paid out, tenant isolation.</summary>
[Collection(InfrastructureCollection.Name)]
public sealed class ConnectFlowTests(SystemFixture system) : IClassFixture<SystemFixture>
{
    [Fact]
    public async Task The_apps_account_is_made_once_onboarded_on_the_hosted_page_and_its_status_turns_all_true_from_the_webhook()
    {
        var steps = new ConnectSteps(system, await system.NewTenantAsync());
        var before = await steps.AppStatusAsync();
        Assert.False(before.GetProperty("connected").GetBoolean());
        Assert.Equal(JsonValueKind.Null, before.GetProperty("accountId").ValueKind);
        var refused = await steps.OnboardAppAsync(400, returnUrl: "https://evil.example.net/done");
        Assert.Equal("redirect_url_not_allowed", refused.GetProperty("code").GetString());

        // Concurrent first calls make one account.
        var onboards = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => steps.OnboardAppAsync()));
        var accountId = onboards[0].GetProperty("accountId").GetString()!;
        Assert.All(onboards, o => Assert.Equal(accountId, o.GetProperty("accountId").GetString()));
        Assert.Equal(4, onboards.Select(o => o.GetProperty("onboardingUrl").GetString()).Distinct().Count());
        var accounts = (await system.Sandbox.GetAsync("/v1/accounts?limit=100")).GetProperty("data").EnumerateArray()
            .Where(a => a.GetProperty("metadata").TryGetProperty("app_id", out var app) && app.GetString() == steps.App).ToList();
        Assert.Equal(accountId, Assert.Single(accounts).GetProperty("id").GetString());
        var pending = await steps.AppStatusAsync();
        Assert.Equal((true, false, false, false), Flags(pending));

        var link = (await steps.OnboardAppAsync()).GetProperty("onboardingUrl").GetString()!;
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync();
        // The app's return page, served here: the allowlisted origin does not exist on this machine.
        await page.RouteAsync("https://shop.example.com/**", route => route.FulfillAsync(new RouteFulfillOptions { Body = "<h1>Back in the app</h1>", ContentType = "text/html" }));
        await page.GotoAsync(link);
        await page.ClickAsync("#submit");
        await page.WaitForURLAsync(ConnectSteps.ReturnUrl);
        Assert.Contains("Back in the app", await page.InnerTextAsync("body"));
        // A link is single use: opened again it sends the person to refreshUrl, where the app asks for a fresh one.
        using (var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }))
        using (var spent = await noRedirects.GetAsync(link))
            Assert.Equal(ConnectSteps.RefreshUrl, spent.Headers.Location?.ToString());

        var after = await SystemFixture.EventuallyAsync(steps.AppStatusAsync, s => Flags(s) == (true, true, true, true));
        Assert.Equal((true, true, true, true), Flags(after));
        Assert.Equal(accountId, after.GetProperty("accountId").GetString());
        // The webhook's account.updated reached Connect (not only the read-through).
        var eventApplied = await SystemFixture.EventuallyAsync(() => system.Connect.InScopeAsync(async s =>
        {
            var db = s.GetRequiredService<Billing.Connect.Infrastructure.ConnectDbContext>();
            return await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.ConnectedAccounts, a => a.StripeAccountId == accountId);
        }), a => a.LastEventAt is not null);
        Assert.NotNull(eventApplied.LastEventAt);
        Assert.True(eventApplied.Version >= 2);
    }

    [Fact]
    public async Task A_creator_earns_from_charges_is_paid_manually_after_the_holding_period_then_weekly_once_per_period()
    {
        var steps = new ConnectSteps(system, await system.NewTenantAsync());
        var creatorId = await steps.OnboardedCreatorAsync();
        var again = await steps.Client.PostAsync(steps.Path("creators"), new
        {
            externalId = (await steps.Client.GetAsync(steps.Path($"creators/{creatorId}"), 200)).GetProperty("externalId").GetString(),
            email = "other@example.com",
        }, 200);
        Assert.Equal(creatorId, again.GetProperty("id").GetString());

        // Real wallet charges through the gateway; the app keeps 20 %, the creator earns the rest.
        Assert.Equal(400, await steps.ChargeAsync(creatorId, 500));
        Assert.Equal(500, await steps.ChargeAsync(creatorId, 625));
        Assert.Equal(600, await steps.ChargeAsync(creatorId, 750));
        var held = await steps.BalanceEventuallyAsync(creatorId, 1500);
        Assert.Equal((0L, 1500L), (held.GetProperty("availableCents").GetInt64(), held.GetProperty("pendingCents").GetInt64()));
        Assert.Equal("usd", held.GetProperty("currency").GetString());
        var early = await steps.PayoutAsync(creatorId, 400);
        Assert.Equal("payout_below_minimum", early.GetProperty("code").GetString());

        system.ConnectClock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        var available = await steps.BalanceAsync(creatorId);
        Assert.Equal((1500L, 0L), (available.GetProperty("availableCents").GetInt64(), available.GetProperty("pendingCents").GetInt64()));
        var manual = await steps.PayoutAsync(creatorId);
        Assert.Equal(("paid", "manual", 1500L, "usd"), (manual.GetProperty("status").GetString(), manual.GetProperty("trigger").GetString(),
            manual.GetProperty("amountCents").GetInt64(), manual.GetProperty("currency").GetString()));
        var transfer = Assert.Single(await steps.TransfersAsync(manual.GetProperty("id").GetString()!));
        Assert.Equal(manual.GetProperty("stripe").GetProperty("transferId").GetString(), transfer.GetProperty("id").GetString());
        Assert.Equal(manual.GetProperty("stripe").GetProperty("accountId").GetString(), transfer.GetProperty("destination").GetString());
        Assert.Equal(1500, transfer.GetProperty("amount").GetInt64());
        Assert.Equal(0, (await steps.BalanceAsync(creatorId)).GetProperty("availableCents").GetInt64());
        Assert.Equal("payout_below_minimum", (await steps.PayoutAsync(creatorId, 400)).GetProperty("code").GetString());

        using (var settings = await steps.Client.PutAsJsonAsync(steps.Path($"creators/{creatorId}/payout-settings"), new { frequency = "weekly" }))
            Assert.Equal("weekly", (await settings.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("payoutFrequency").GetString());
        using (var bad = await steps.Client.PutAsJsonAsync(steps.Path($"creators/{creatorId}/payout-settings"), new { frequency = "daily" }))
            Assert.Equal(400, (int)bad.StatusCode);
        await steps.ChargeAsync(creatorId, 875);
        await steps.ChargeAsync(creatorId, 1000);
        await steps.BalanceEventuallyAsync(creatorId, 1500);
        system.ConnectClock.Advance(TimeSpan.FromDays(8));

        // Two runs at once (two replicas, or a run started twice) pay the period once.
        var scheduler = system.Connect.Services.GetRequiredService<PayoutScheduler>();
        await Task.WhenAll(scheduler.RunAsync(CancellationToken.None), scheduler.RunAsync(CancellationToken.None));
        await scheduler.RunAsync(CancellationToken.None);
        var payouts = await steps.PayoutsAsync(creatorId);
        var weekly = Assert.Single(payouts, p => p.GetProperty("trigger").GetString() == "weekly");
        Assert.Equal(2, payouts.Count);
        Assert.Equal(("paid", 1500L), (weekly.GetProperty("status").GetString(), weekly.GetProperty("amountCents").GetInt64()));
        Assert.Matches(@"^\d{4}-W\d{2}$", weekly.GetProperty("period").GetString());
        Assert.Single(await steps.TransfersAsync(weekly.GetProperty("id").GetString()!));
    }

    [Fact]
    public async Task A_reversed_payout_transfer_puts_the_money_back_into_the_creators_balance()
    {
        var steps = new ConnectSteps(system, await system.NewTenantAsync());
        var creatorId = await steps.OnboardedCreatorAsync();
        Assert.Equal(2500, await steps.ChargeAsync(creatorId, 3125));
        await steps.BalanceEventuallyAsync(creatorId, 2500);
        system.ConnectClock.Advance(TimeSpan.FromDays(8));
        var payout = await steps.PayoutAsync(creatorId);
        var transferId = payout.GetProperty("stripe").GetProperty("transferId").GetString()!;

        await system.Sandbox.PostAsync($"/v1/transfers/{transferId}/reversals");

        var back = await SystemFixture.EventuallyAsync(() => steps.BalanceAsync(creatorId), b => b.GetProperty("availableCents").GetInt64() == 2500);
        Assert.Equal(2500, back.GetProperty("availableCents").GetInt64());
        var reversed = Assert.Single(await steps.PayoutsAsync(creatorId));
        Assert.Equal(("reversed", 2500L), (reversed.GetProperty("status").GetString(), reversed.GetProperty("reversedCents").GetInt64()));
    }

    [Fact]
    public async Task Another_apps_creators_are_not_found()
    {
        var owner = new ConnectSteps(system, await system.NewTenantAsync());
        var creator = await owner.Client.PostAsync(owner.Path("creators"), new { externalId = "seller-1", email = "seller@example.com" }, 201);
        var creatorId = creator.GetProperty("id").GetString()!;
        var other = new ConnectSteps(system, await system.NewTenantAsync());

        foreach (var path in new[] { $"creators/{creatorId}", $"creators/{creatorId}/balance", $"creators/{creatorId}/payouts", $"creators/{creatorId}/connect/status" })
            Assert.Equal("not_found", (await other.Client.GetAsync(other.Path(path), 404)).GetProperty("code").GetString());
        await other.Client.PostAsync(other.Path($"creators/{creatorId}/payouts"), new { }, 404);
        await other.Client.PostAsync(other.Path($"creators/{creatorId}/connect/onboard"),
            new { returnUrl = ConnectSteps.ReturnUrl, refreshUrl = ConnectSteps.RefreshUrl }, 404);
        using (var put = await other.Client.PutAsJsonAsync(other.Path($"creators/{creatorId}/payout-settings"), new { frequency = "weekly" }))
            Assert.Equal(404, (int)put.StatusCode);
        // The owner's app path with the other app's key is refused too.
        await other.Client.GetAsync(owner.Path($"creators/{creatorId}"), 404);
        Assert.Empty((await other.Client.GetAsync(other.Path("creators"), 200)).GetProperty("data").EnumerateArray());
    }

    private static (bool, bool, bool, bool) Flags(JsonElement s) => (s.GetProperty("connected").GetBoolean(), s.GetProperty("detailsSubmitted").GetBoolean(),
        s.GetProperty("chargesEnabled").GetBoolean(), s.GetProperty("payoutsEnabled").GetBoolean());
}
