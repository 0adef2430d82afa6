using System.Net.Http.Json;
using Billing.Tests.Infrastructure;
using Billing.Tests.Tenancy;

namespace Billing.Tests.Gateway;

/// <summary>
/// A burst on a new key, all requests in flight at once: exactly the app's limit passes, however
/// large the burst. (A limiter that gave up on a slow answer let 256 of 300 through at a limit of 100.)
/// </summary>
[Collection(InfrastructureCollection.Name)]
public sealed class RateLimitBurstTests(InfrastructureFixture infrastructure)
{
    private const int AppLimit = 100;
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);

    [Theory]
    [InlineData(300)]
    [InlineData(1000)]
    public async Task A_burst_on_a_new_key_lets_exactly_the_apps_limit_through_and_refuses_the_rest_with_retry_after(int requests)
    {
        await using var backends = await EchoBackends.StartAsync();
        await using var gateway = await TestGateway.StartAsync(infrastructure, backends.Destinations(),
            new Dictionary<string, string?> { ["Gateway:RateLimit:Window"] = Window.ToString() });
        var tenant = await TestTenant.CreateAsync(gateway);
        using (var account = tenant.AccountClient(gateway))
            (await account.PutAsJsonAsync($"/v1/apps/{tenant.AppId}/rate-limit", new { limit = AppLimit })).EnsureSuccessStatusCode();
        // A fresh key: its credential is read after the change.
        var key = await tenant.CreateKeyAsync(gateway);
        using var client = gateway.ClientWith(key.GetProperty("secret").GetString()!);
        await WaitUnlessWellInsideAWindow();

        var responses = await Task.WhenAll(Enumerable.Range(0, requests)
            .Select(_ => Task.Run(() => client.GetAsync($"/v1/{tenant.AppId}/billing/plans"))));

        try
        {
            Assert.Equal(AppLimit, responses.Count(r => (int)r.StatusCode == 200));
            var refused = responses.Where(r => (int)r.StatusCode != 200).ToList();
            Assert.Equal(requests - AppLimit, refused.Count);
            foreach (var response in refused)
            {
                await ProblemAssert.IsProblem(response, 429, "rate_limited");
                Assert.InRange(int.Parse(response.Headers.GetValues("Retry-After").Single()), 1, (int)Window.TotalSeconds);
            }
        }
        finally
        {
            foreach (var response in responses) response.Dispose();
        }
    }

    // Windows are aligned to the clock: a burst that straddled two would rightly pass twice.
    private static async Task WaitUnlessWellInsideAWindow()
    {
        var windowMs = (long)Window.TotalMilliseconds;
        var left = windowMs - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() % windowMs;
        if (left < 60_000) await Task.Delay(TimeSpan.FromMilliseconds(left + 100));
    }
}
