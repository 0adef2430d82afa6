using System.Net.Http.Json;
using System.Text.Json;
using Billing.Tests.Gateway;
using Billing.Tests.Infrastructure;

namespace Billing.Tests.Tenancy;

[Collection(InfrastructureCollection.Name)]
public sealed class AccountsAndAppsTests(TenancyGateway fixture) : IClassFixture<TenancyGateway>
{
    private TestGateway Gateway => fixture.Gateway;

    [Fact]
    public async Task The_operator_creates_an_account_and_gets_its_token_once()
    {
        using var operatorClient = Gateway.ClientWith(TestGateway.OperatorKey);

        using var response = await operatorClient.PostAsJsonAsync("/v1/accounts", new { email = $"{Guid.NewGuid():N}@example.com", name = "Ada" });

        Assert.Equal(201, (int)response.StatusCode);
        var account = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.StartsWith("dev_", account.GetProperty("id").GetString());
        var token = account.GetProperty("token").GetString()!;
        Assert.StartsWith("bat_", token);
        Assert.True(token.Length >= 4 + 48, "an account token carries at least 192 bits");
        // The token works: the account can list its (no) apps.
        using var accountClient = Gateway.ClientWith(token);
        var apps = await accountClient.GetFromJsonAsync<JsonElement>("/v1/apps");
        Assert.Empty(apps.GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task Only_the_operator_may_create_accounts()
    {
        var tenant = await TestTenant.CreateAsync(Gateway);
        var body = new { email = $"{Guid.NewGuid():N}@example.com", name = "Eve" };
        using var accountClient = tenant.AccountClient(Gateway);
        using var keyClient = tenant.KeyClient(Gateway);
        using var wrongOperator = Gateway.ClientWith("bop_not_the_operator_key_0123456789abcdef0123");

        await ProblemAssert.IsProblem(await Gateway.Client.PostAsJsonAsync("/v1/accounts", body), 401, "unauthorized");
        await ProblemAssert.IsProblem(await wrongOperator.PostAsJsonAsync("/v1/accounts", body), 401, "unauthorized");
        var asAccount = await ProblemAssert.IsProblem(await accountClient.PostAsJsonAsync("/v1/accounts", body), 403, "missing_scope");
        Assert.Equal("operator", asAccount.GetProperty("requiredScope").GetString());
        await ProblemAssert.IsProblem(await keyClient.PostAsJsonAsync("/v1/accounts", body), 403, "missing_scope");
    }

    [Fact]
    public async Task A_second_account_with_the_same_email_is_a_conflict()
    {
        using var operatorClient = Gateway.ClientWith(TestGateway.OperatorKey);
        var email = $"{Guid.NewGuid():N}@example.com";
        using var first = await operatorClient.PostAsJsonAsync("/v1/accounts", new { email, name = "One" });

        using var second = await operatorClient.PostAsJsonAsync("/v1/accounts", new { email = email.ToUpperInvariant(), name = "Two" });

        Assert.Equal(201, (int)first.StatusCode);
        await ProblemAssert.IsProblem(second, 409, "conflict");
    }

    [Fact]
    public async Task An_account_sees_only_its_own_apps_and_another_accounts_app_is_404_everywhere()
    {
        var mine = await TestTenant.CreateAsync(Gateway);
        var theirs = await TestTenant.CreateAsync(Gateway);
        using var client = mine.AccountClient(Gateway);

        var list = await client.GetFromJsonAsync<JsonElement>("/v1/apps");
        Assert.Equal([mine.AppId], list.GetProperty("data").EnumerateArray().Select(a => a.GetProperty("id").GetString()));
        Assert.Equal(200, (int)(await client.GetAsync($"/v1/apps/{mine.AppId}")).StatusCode);

        var other = theirs.AppId;
        await ProblemAssert.IsProblem(await client.GetAsync($"/v1/apps/{other}"), 404, "not_found");
        await ProblemAssert.IsProblem(await client.GetAsync($"/v1/apps/{other}/keys"), 404, "not_found");
        await ProblemAssert.IsProblem(await client.GetAsync($"/v1/apps/{other}/audit-log"), 404, "not_found");
        await ProblemAssert.IsProblem(await client.PutAsJsonAsync($"/v1/apps/{other}/redirect-origins", new { origins = new[] { "https://evil.example.com" } }), 404, "not_found");
        await ProblemAssert.IsProblem(await client.PostAsJsonAsync($"/v1/apps/{other}/keys", new { type = "secret", mode = "live", name = "x" }), 404, "not_found");
        await ProblemAssert.IsProblem(await client.PostAsync($"/v1/apps/{other}/keys/{theirs.KeyId}/roll", null), 404, "not_found");
        await ProblemAssert.IsProblem(await client.DeleteAsync($"/v1/apps/{other}/keys/{theirs.KeyId}"), 404, "not_found");
        // Their key still works: nothing was changed by the attempts.
        using var theirClient = theirs.KeyClient(Gateway);
        Assert.Equal(200, (int)(await theirClient.GetAsync($"/v1/{theirs.AppId}/billing/plans")).StatusCode);
    }

    [Fact]
    public async Task The_operator_sets_any_apps_rate_limit_and_another_account_cannot()
    {
        var tenant = await TestTenant.CreateAsync(Gateway);
        var stranger = await TestTenant.CreateAsync(Gateway);
        using var operatorClient = Gateway.ClientWith(TestGateway.OperatorKey);
        using var strangerClient = stranger.AccountClient(Gateway);

        using var set = await operatorClient.PutAsJsonAsync($"/v1/apps/{tenant.AppId}/rate-limit", new { limit = 50 });
        using var refused = await strangerClient.PutAsJsonAsync($"/v1/apps/{tenant.AppId}/rate-limit", new { limit = 1_000_000 });
        using var invalid = await operatorClient.PutAsJsonAsync($"/v1/apps/{tenant.AppId}/rate-limit", new { limit = 0 });

        Assert.Equal(200, (int)set.StatusCode);
        await ProblemAssert.IsProblem(refused, 404, "not_found");
        await ProblemAssert.IsProblem(invalid, 400, "validation_failed");
        using var owner = tenant.AccountClient(Gateway);
        var app = await owner.GetFromJsonAsync<JsonElement>($"/v1/apps/{tenant.AppId}");
        Assert.Equal(50, app.GetProperty("rateLimit").GetInt32());
        var log = await owner.GetFromJsonAsync<JsonElement>($"/v1/apps/{tenant.AppId}/audit-log");
        var entry = log.GetProperty("data").EnumerateArray().Single(e => e.GetProperty("action").GetString() == "app.rate_limit_updated");
        // The operator acted: no account.
        Assert.Equal(JsonValueKind.Null, entry.GetProperty("accountId").ValueKind);
    }

    [Fact]
    public async Task Redirect_origins_are_validated_and_the_bad_ones_listed_by_index()
    {
        var tenant = await TestTenant.CreateAsync(Gateway);
        using var client = tenant.AccountClient(Gateway);

        using var bad = await client.PutAsJsonAsync($"/v1/apps/{tenant.AppId}/redirect-origins",
            new { origins = new[] { "https://shop.example.com", "http://shop.example.com", "https://*.example.com", "https://a.com/path", "javascript:alert(1)" } });
        var problem = await ProblemAssert.IsProblem(bad, 400, "validation_failed");
        var errors = problem.GetProperty("errors");
        Assert.Equal(["origins[1]", "origins[3]", "origins[4]"], errors.EnumerateObject().Select(e => e.Name).Order());

        using var good = await client.PutAsJsonAsync($"/v1/apps/{tenant.AppId}/redirect-origins",
            new { origins = new[] { "https://Shop.Example.com/", "https://*.example.com", "http://localhost:5173" } });
        Assert.Equal(200, (int)good.StatusCode);
        var app = await good.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["https://shop.example.com", "https://*.example.com", "http://localhost:5173"],
            app.GetProperty("redirectOrigins").EnumerateArray().Select(o => o.GetString()));
    }

    [Fact]
    public async Task The_apps_redirect_origins_reach_the_service_in_the_signed_identity()
    {
        var tenant = await TestTenant.CreateAsync(Gateway, "https://shop.example.com");
        using var client = tenant.KeyClient(Gateway);

        using var response = await client.GetAsync($"/v1/{tenant.AppId}/billing/plans");

        var identity = IdentityAssert.Verified(await EchoReply.ReadAsync(response));
        Assert.Equal(["https://shop.example.com"], identity.RedirectOrigins);
        Assert.Equal(tenant.AppId, identity.AppId);
        Assert.Equal(tenant.AccountId, identity.AccountId);
    }

    [Fact]
    public async Task Creating_an_app_with_a_bad_origin_is_refused_and_creates_nothing()
    {
        var tenant = await TestTenant.CreateAsync(Gateway);
        using var client = tenant.AccountClient(Gateway);

        using var response = await client.PostAsJsonAsync("/v1/apps", new { name = "Bad", redirectOrigins = new[] { "https://*" } });

        var problem = await ProblemAssert.IsProblem(response, 400, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("redirectOrigins[0]", out _));
        var list = await client.GetFromJsonAsync<JsonElement>("/v1/apps");
        Assert.Single(list.GetProperty("data").EnumerateArray());
    }
}
