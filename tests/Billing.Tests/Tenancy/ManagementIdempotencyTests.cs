using System.Net.Http.Json;
using System.Text.Json;
using Billing.Tests.Gateway;
using Billing.Tests.Infrastructure;

namespace Billing.Tests.Tenancy;

[Collection(InfrastructureCollection.Name)]
public sealed class ManagementIdempotencyTests(TenancyGateway fixture) : IClassFixture<TenancyGateway>
{
    private TestGateway Gateway => fixture.Gateway;

    [Fact]
    public async Task Creating_an_app_again_with_the_same_key_replays_the_first_answer_and_creates_one_app()
    {
        var tenant = await TestTenant.CreateAsync(Gateway);
        using var client = tenant.AccountClient(Gateway);
        var key = Guid.NewGuid().ToString("N");

        using var first = await Post(client, "/v1/apps", new { name = "Shop" }, key);
        using var again = await Post(client, "/v1/apps", new { name = "Shop" }, key);

        Assert.Equal(201, (int)first.StatusCode);
        Assert.Equal(201, (int)again.StatusCode);
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        Assert.Equal(2, await CountApps(client));
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_a_422_mismatch()
    {
        var tenant = await TestTenant.CreateAsync(Gateway);
        using var client = tenant.AccountClient(Gateway);
        var key = Guid.NewGuid().ToString("N");

        using var first = await Post(client, "/v1/apps", new { name = "Shop" }, key);
        using var other = await Post(client, "/v1/apps", new { name = "Other shop" }, key);

        Assert.Equal(201, (int)first.StatusCode);
        await ProblemAssert.IsProblem(other, 422, "idempotency_key_mismatch");
        Assert.Equal(2, await CountApps(client));
    }

    [Fact]
    public async Task Concurrent_duplicates_execute_exactly_once()
    {
        var tenant = await TestTenant.CreateAsync(Gateway);
        using var client = tenant.AccountClient(Gateway);
        var key = Guid.NewGuid().ToString("N");

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Post(client, "/v1/apps", new { name = "Race" }, key)));

        var statuses = responses.Select(r => (int)r.StatusCode).ToList();
        Assert.All(statuses, status => Assert.Contains(status, new[] { 201, 409 }));
        Assert.Contains(201, statuses);
        Assert.Equal(2, await CountApps(client));
        foreach (var response in responses) response.Dispose();
    }

    [Fact]
    public async Task A_replayed_key_creation_says_which_key_was_made_but_never_shows_its_secret_again()
    {
        var tenant = await TestTenant.CreateAsync(Gateway);
        using var client = tenant.AccountClient(Gateway);
        var key = Guid.NewGuid().ToString("N");
        var body = new { type = "secret", mode = "live", name = "deploy" };

        using var first = await Post(client, $"/v1/apps/{tenant.AppId}/keys", body, key);
        using var again = await Post(client, $"/v1/apps/{tenant.AppId}/keys", body, key);

        var created = await first.Content.ReadFromJsonAsync<JsonElement>();
        var replayed = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.StartsWith("bk_live_", created.GetProperty("secret").GetString());
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(created.GetProperty("id").GetString(), replayed.GetProperty("id").GetString());
        Assert.False(replayed.TryGetProperty("secret", out _));
        var keys = await client.GetFromJsonAsync<JsonElement>($"/v1/apps/{tenant.AppId}/keys");
        Assert.Equal(2, keys.GetProperty("data").GetArrayLength());
    }

    private static async Task<int> CountApps(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/v1/apps")).GetProperty("data").GetArrayLength();

    private static Task<HttpResponseMessage> Post(HttpClient client, string path, object body, string idempotencyKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return client.SendAsync(request);
    }
}
