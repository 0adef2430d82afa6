using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Billing.Gateway.Auth;
using Billing.Tests.Gateway;
using Billing.Tests.Infrastructure;
using Npgsql;

namespace Billing.Tests.Tenancy;

[Collection(InfrastructureCollection.Name)]
public sealed class KeysTests(TenancyGateway fixture, InfrastructureFixture infrastructure) : IClassFixture<TenancyGateway>
{
    private TestGateway Gateway => fixture.Gateway;

    [Theory]
    [InlineData("secret", "test", "bk_test_")]
    [InlineData("secret", "live", "bk_live_")]
    [InlineData("publishable", "test", "bpk_test_")]
    [InlineData("publishable", "live", "bpk_live_")]
    public async Task A_new_key_is_shown_once_with_its_prefix_then_only_masked(string type, string mode, string prefix)
    {
        var tenant = await TestTenant.CreateAsync(Gateway);

        var created = await tenant.CreateKeyAsync(Gateway, type, mode);

        var secret = created.GetProperty("secret").GetString()!;
        Assert.StartsWith(prefix, secret);
        Assert.True(secret.Length - prefix.Length >= 48, "a key carries at least 192 bits");
        using var client = tenant.AccountClient(Gateway);
        var list = await client.GetStringAsync($"/v1/apps/{tenant.AppId}/keys");
        Assert.DoesNotContain(secret, list);
        Assert.DoesNotContain(secret[prefix.Length..], list);
        var listed = JsonDocument.Parse(list).RootElement.GetProperty("data").EnumerateArray()
            .Single(k => k.GetProperty("id").GetString() == created.GetProperty("id").GetString());
        Assert.False(listed.TryGetProperty("secret", out _));
        Assert.Equal($"{prefix}…{secret[^4..]}", listed.GetProperty("maskedSecret").GetString());
        Assert.Equal("active", listed.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Only_the_hash_of_a_key_is_stored()
    {
        var tenant = await TestTenant.CreateAsync(Gateway);

        await using var db = new NpgsqlConnection(infrastructure.Database("gateway"));
        await db.OpenAsync();
        await using var command = new NpgsqlCommand("select secret_hash from gateway.api_keys where id = @id", db);
        command.Parameters.AddWithValue("id", tenant.KeyId);
        var stored = (byte[])(await command.ExecuteScalarAsync())!;

        Assert.Equal(Secrets.Hash(tenant.SecretKey), stored);
        await using var dump = new NpgsqlCommand("select row_to_json(k)::text from gateway.api_keys k where id = @id", db);
        dump.Parameters.AddWithValue("id", tenant.KeyId);
        Assert.DoesNotContain(tenant.SecretKey[8..], (string)(await dump.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Unknown_scopes_and_types_are_refused_naming_each()
    {
        var tenant = await TestTenant.CreateAsync(Gateway);
        using var client = tenant.AccountClient(Gateway);

        using var response = await client.PostAsJsonAsync($"/v1/apps/{tenant.AppId}/keys",
            new { type = "root", mode = "prod", name = "k", scopes = new[] { "catalog:read", "catalog:admin", "billing:write" } });

        var errors = (await ProblemAssert.IsProblem(response, 400, "validation_failed")).GetProperty("errors");
        Assert.Equal(["mode", "scopes[1]", "scopes[2]", "type"], errors.EnumerateObject().Select(e => e.Name).Order());
    }

    [Fact]
    public async Task A_rolled_key_keeps_working_for_its_grace_period_then_stops_while_the_new_one_works()
    {
        var tenant = await TestTenant.CreateAsync(Gateway);
        using var account = tenant.AccountClient(Gateway);
        using var old = tenant.KeyClient(Gateway);
        var plans = $"/v1/{tenant.AppId}/billing/plans";

        using var roll = await account.PostAsJsonAsync($"/v1/apps/{tenant.AppId}/keys/{tenant.KeyId}/roll", new { expiresInSeconds = 3 });
        Assert.Equal(201, (int)roll.StatusCode);
        var rolled = await roll.Content.ReadFromJsonAsync<JsonElement>();
        var clock = Stopwatch.StartNew();
        using var fresh = Gateway.ClientWith(rolled.GetProperty("secret").GetString()!);

        Assert.NotEqual(tenant.KeyId, rolled.GetProperty("id").GetString());
        Assert.Equal(200, (int)(await fresh.GetAsync(plans)).StatusCode);
        Assert.Equal(200, (int)(await old.GetAsync(plans)).StatusCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), "the grace period had not passed yet");

        var stopped = await WaitUntilRefused(old, plans, TimeSpan.FromSeconds(10));
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(3) + TimeSpan.FromSeconds(2));
        await ProblemAssert.IsProblem(stopped, 401, "unauthorized");
        Assert.Equal(200, (int)(await fresh.GetAsync(plans)).StatusCode);
        var listed = await account.GetFromJsonAsync<JsonElement>($"/v1/apps/{tenant.AppId}/keys");
        var oldKey = listed.GetProperty("data").EnumerateArray().Single(k => k.GetProperty("id").GetString() == tenant.KeyId);
        Assert.Equal("expired", oldKey.GetProperty("status").GetString());
        Assert.Equal(rolled.GetProperty("id").GetString(), oldKey.GetProperty("replacedBy").GetString());
    }

    [Fact]
    public async Task A_key_rolled_without_a_grace_period_stops_within_five_seconds_and_the_new_one_works_at_once()
    {
        var tenant = await TestTenant.CreateAsync(Gateway);
        using var account = tenant.AccountClient(Gateway);
        using var old = tenant.KeyClient(Gateway);
        var plans = $"/v1/{tenant.AppId}/billing/plans";
        Assert.Equal(200, (int)(await old.GetAsync(plans)).StatusCode);

        using var roll = await account.PostAsync($"/v1/apps/{tenant.AppId}/keys/{tenant.KeyId}/roll", null);
        var clock = Stopwatch.StartNew();
        Assert.Equal(201, (int)roll.StatusCode);
        var rolled = await roll.Content.ReadFromJsonAsync<JsonElement>();
        using var fresh = Gateway.ClientWith(rolled.GetProperty("secret").GetString()!);

        Assert.Equal(200, (int)(await fresh.GetAsync(plans)).StatusCode);
        await ProblemAssert.IsProblem(await WaitUntilRefused(old, plans, TimeSpan.FromSeconds(10)), 401, "unauthorized");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the rolled key worked for {clock.Elapsed.TotalSeconds:F1} s");
        // A key that no longer works cannot be rolled again.
        await ProblemAssert.IsProblem(await account.PostAsync($"/v1/apps/{tenant.AppId}/keys/{tenant.KeyId}/roll", null), 409, "conflict");
    }

    [Fact]
    public async Task A_revoked_key_stops_working_on_every_gateway_replica_within_five_seconds()
    {
        var tenant = await TestTenant.CreateAsync(Gateway);
        await using var replica = await TestGateway.StartAsync(infrastructure, fixture.Backends.Destinations());
        using var first = tenant.KeyClient(Gateway);
        using var second = tenant.KeyClient(replica);
        var plans = $"/v1/{tenant.AppId}/billing/plans";
        // Both replicas have the key in their caches.
        Assert.Equal(200, (int)(await first.GetAsync(plans)).StatusCode);
        Assert.Equal(200, (int)(await second.GetAsync(plans)).StatusCode);

        using var account = tenant.AccountClient(Gateway);
        using var revoke = await account.DeleteAsync($"/v1/apps/{tenant.AppId}/keys/{tenant.KeyId}");
        var clock = Stopwatch.StartNew();
        Assert.Equal(200, (int)revoke.StatusCode);
        Assert.Equal("revoked", (await revoke.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());

        var refused = await Task.WhenAll(WaitUntilRefused(first, plans, TimeSpan.FromSeconds(10)), WaitUntilRefused(second, plans, TimeSpan.FromSeconds(10)));
        var elapsed = clock.Elapsed;

        foreach (var response in refused) await ProblemAssert.IsProblem(response, 401, "unauthorized");
        Assert.True(elapsed < TimeSpan.FromSeconds(5), $"the revoked key worked for {elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public async Task Management_actions_are_in_the_apps_audit_log_with_who_what_when_and_from_where()
    {
        var tenant = await TestTenant.CreateAsync(Gateway);
        using var account = tenant.AccountClient(Gateway);
        account.DefaultRequestHeaders.UserAgent.ParseAdd("audit-test/1.0");
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"/v1/apps/{tenant.AppId}/keys/{tenant.KeyId}");
        request.Headers.Add("X-Request-Id", "revoke-7");
        using var revoke = await account.SendAsync(request);
        Assert.Equal(200, (int)revoke.StatusCode);

        var log = await account.GetFromJsonAsync<JsonElement>($"/v1/apps/{tenant.AppId}/audit-log");

        var entries = log.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(["app.created", "key.created", "key.revoked"], entries.Select(e => e.GetProperty("action").GetString()));
        var revoked = entries[2];
        Assert.Equal(tenant.KeyId, revoked.GetProperty("target").GetString());
        Assert.Equal(tenant.AccountId, revoked.GetProperty("accountId").GetString());
        Assert.Equal("127.0.0.1", revoked.GetProperty("ip").GetString());
        Assert.Equal("audit-test/1.0", revoked.GetProperty("userAgent").GetString());
        Assert.Equal("revoke-7", revoked.GetProperty("requestId").GetString());
        Assert.InRange(revoked.GetProperty("createdAt").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddSeconds(5));
    }

    private static async Task<HttpResponseMessage> WaitUntilRefused(HttpClient client, string path, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var response = await client.GetAsync(path);
            if ((int)response.StatusCode == 401 || deadline.Elapsed > timeout) return response;
            response.Dispose();
            await Task.Delay(100);
        }
    }
}
