using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Billing.Catalog;
using Billing.Catalog.Infrastructure;
using Billing.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Tests.Security;

[Collection(InfrastructureCollection.Name)]
public sealed class IdempotencyKeyTests(InfrastructureFixture infrastructure) : IAsyncLifetime
{
    private TestService _catalog = null!;

    public async Task InitializeAsync() => _catalog = await Billing.Tests.Catalog.CatalogTestHost.StartAsync(infrastructure);

    public async Task DisposeAsync() => await _catalog.DisposeAsync();

    [Fact]
    public async Task The_same_key_and_body_replays_the_first_answer_without_running_again()
    {
        var app = TestApps.NewAppId();
        var client = _catalog.ClientFor(app);

        var first = await Post(client, app, "key-1", Plan("Pro", 2900));
        var second = await Post(client, app, "key-1", Plan("Pro", 2900));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal(await Id(first), await Id(second));
        Assert.Equal(1, await PlanCount(app));
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_422_and_runs_nothing()
    {
        var app = TestApps.NewAppId();
        var client = _catalog.ClientFor(app);

        await Post(client, app, "key-2", Plan("Pro", 2900));
        var other = await Post(client, app, "key-2", Plan("Pro", 3900));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.Equal("idempotency_key_mismatch", (await other.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(1, await PlanCount(app));
    }

    [Fact]
    public async Task Concurrent_duplicates_execute_exactly_once()
    {
        var app = TestApps.NewAppId();
        var client = _catalog.ClientFor(app);

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Post(client, app, "key-3", Plan("Team", 9900))));

        Assert.Equal(1, await PlanCount(app));
        var created = responses.Where(r => r.StatusCode == HttpStatusCode.Created).ToList();
        Assert.NotEmpty(created);
        Assert.Single((await Task.WhenAll(created.Select(Id))).Distinct());
        foreach (var busy in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            Assert.Equal(HttpStatusCode.Conflict, busy.StatusCode);
            Assert.Equal("idempotency_key_in_use", (await busy.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task Keys_belong_to_one_app_so_two_apps_may_use_the_same_key()
    {
        var (a, b) = (TestApps.NewAppId(), TestApps.NewAppId());

        var first = await Post(_catalog.ClientFor(a), a, "shared-key", Plan("Pro", 2900));
        var second = await Post(_catalog.ClientFor(b), b, "shared-key", Plan("Pro", 2900));

        Assert.False(second.Headers.Contains("Idempotent-Replayed"));
        Assert.NotEqual(await Id(first), await Id(second));
    }

    [Fact]
    public async Task A_rejected_request_does_not_hold_its_key()
    {
        var app = TestApps.NewAppId();
        var client = _catalog.ClientFor(app);

        var invalid = await Post(client, app, "key-4", Plan("", -1));
        var corrected = await Post(client, app, "key-4", Plan("Pro", 2900));

        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal(HttpStatusCode.Created, corrected.StatusCode);
    }

    private static object Plan(string name, long cents) => new { name, priceCents = cents, interval = "month" };

    private static async Task<HttpResponseMessage> Post(HttpClient client, string app, string key, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/{app}/billing/plans") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private static async Task<string> Id(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

    private Task<int> PlanCount(string app) => _catalog.InScopeAsync(s => s.GetRequiredService<CatalogDbContext>().Plans.CountAsync(p => p.AppId == app));
}
