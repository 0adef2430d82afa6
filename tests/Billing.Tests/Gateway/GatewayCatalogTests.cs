using System.Net.Http.Json;
using System.Text.Json;
using Billing.Catalog;
using Billing.Catalog.Infrastructure;
using Billing.Catalog.Model;
using Billing.ServiceDefaults.Api;
using Billing.Tests.Infrastructure;
using Billing.Tests.Tenancy;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Billing.Tests.Gateway;

/// <summary>The gateway in front of the real Catalog service on the real Postgres; echo servers stand in for the rest.</summary>
[Collection(InfrastructureCollection.Name)]
public sealed class GatewayCatalogTests(InfrastructureFixture infrastructure) : IAsyncLifetime
{
    private TestService _catalog = null!;
    private EchoBackends _others = null!;
    private TestGateway _gateway = null!;
    private TestTenant _tenant = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _catalog = await Billing.Tests.Catalog.CatalogTestHost.StartAsync(infrastructure);
        _others = await EchoBackends.StartAsync(except: "catalog");
        _gateway = await TestGateway.StartAsync(infrastructure, _others.Destinations(("catalog", [_catalog.Address])));
        _tenant = await TestTenant.CreateAsync(_gateway);
        _client = _tenant.KeyClient(_gateway);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _gateway.DisposeAsync();
        await _others.DisposeAsync();
        await _catalog.DisposeAsync();
    }

    [Fact]
    public async Task Plans_through_the_gateway_are_the_catalogs_plans()
    {
        var app = _tenant.AppId;
        await AddPlanAsync(app, "Pro");

        var body = await _client.GetFromJsonAsync<JsonElement>($"/v1/{app}/billing/plans");

        var plan = Assert.Single(body.GetProperty("data").EnumerateArray());
        Assert.Equal("Pro", plan.GetProperty("name").GetString());
        Assert.Equal(2900, plan.GetProperty("priceCents").GetInt64());
    }

    [Fact]
    public async Task The_catalog_sees_the_request_id_the_gateway_made_and_puts_it_in_its_own_problem()
    {
        // The 400 problem is written by the Catalog service: its requestId is the id the service received.
        using var response = await _client.GetAsync($"/v1/{_tenant.AppId}/billing/plans?limit=500");

        var problem = await ProblemAssert.IsProblem(response, 400, "validation_failed");
        Assert.StartsWith("req_", problem.GetProperty("requestId").GetString());
    }

    [Fact]
    public async Task The_catalog_sees_the_callers_own_request_id()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/{_tenant.AppId}/billing/plans?limit=0");
        request.Headers.Add("X-Request-Id", "checkout-page-7f3a");

        using var response = await _client.SendAsync(request);

        var problem = await ProblemAssert.IsProblem(response, 400, "validation_failed");
        Assert.Equal("checkout-page-7f3a", problem.GetProperty("requestId").GetString());
    }

    [Fact]
    public async Task A_publishable_key_reads_its_apps_public_plans_but_cannot_create_one()
    {
        await AddPlanAsync(_tenant.AppId, "Starter");
        var key = await _tenant.CreateKeyAsync(_gateway, "publishable", "test");
        using var publishable = _gateway.ClientWith(key.GetProperty("secret").GetString()!);

        var body = await publishable.GetFromJsonAsync<JsonElement>($"/v1/{_tenant.AppId}/billing/plans");
        using var create = await publishable.PostAsJsonAsync($"/v1/{_tenant.AppId}/billing/plans", new { name = "Hack", priceCents = 1, interval = "month" });

        Assert.Equal("Starter", Assert.Single(body.GetProperty("data").EnumerateArray()).GetProperty("name").GetString());
        var problem = await ProblemAssert.IsProblem(create, 403, "missing_scope");
        Assert.Equal("catalog:write", problem.GetProperty("requiredScope").GetString());
    }

    [Fact]
    public async Task Another_apps_key_gets_404_for_plans_that_exist_and_never_their_data()
    {
        await AddPlanAsync(_tenant.AppId, "Secret plan");
        var other = await TestTenant.CreateAsync(_gateway);
        using var otherClient = other.KeyClient(_gateway);

        using var response = await otherClient.GetAsync($"/v1/{_tenant.AppId}/billing/plans");

        await ProblemAssert.IsProblem(response, 404, "not_found");
        Assert.DoesNotContain("Secret plan", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_plan_created_through_the_gateway_is_created_once_per_idempotency_key_by_the_catalog_alone()
    {
        var key = "plan-" + Guid.NewGuid().ToString("N");
        var plan = new { name = "Team", priceCents = 9900, interval = "month" };

        using var first = await PostWithKey(plan, key);
        using var again = await PostWithKey(plan, key);

        Assert.Equal(201, (int)first.StatusCode);
        Assert.Equal(201, (int)again.StatusCode);
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        var list = await _client.GetFromJsonAsync<JsonElement>($"/v1/{_tenant.AppId}/billing/plans");
        Assert.Single(list.GetProperty("data").EnumerateArray());
        // The gateway passed both through: the key is stored by the Catalog, not by the gateway as well.
        await using var gatewayDb = new NpgsqlConnection(infrastructure.Database("gateway"));
        await gatewayDb.OpenAsync();
        await using var count = new NpgsqlCommand("select count(*) from gateway.idempotency_keys where key = @key", gatewayDb);
        count.Parameters.AddWithValue("key", key);
        Assert.Equal(0L, (long)(await count.ExecuteScalarAsync())!);
    }

    private async Task<HttpResponseMessage> PostWithKey(object body, string idempotencyKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/{_tenant.AppId}/billing/plans") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await _client.SendAsync(request);
    }

    private async Task AddPlanAsync(string appId, string name)
    {
        using var scope = _catalog.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        // Synced, as a plan in the public catalog is.
        var plan = new Plan { Id = Ids.New("plan"), AppId = appId, Name = name, Active = true, StripeSyncStatus = StripeSyncStatus.Synced };
        plan.SetPrice(BillingInterval.Month, 2900, "usd", DateTimeOffset.UtcNow);
        db.Plans.Add(plan);
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task System_health_reports_the_catalog_healthy_once_probed()
    {
        var (status, health) = await _gateway.WaitForHealthAsync((status, _) => status == 200);

        Assert.Equal(200, status);
        var catalog = health.GetProperty("checks").GetProperty("catalog");
        Assert.Equal("Healthy", catalog.GetProperty("status").GetString());
        Assert.Contains(_catalog.Address.ToString(), catalog.GetProperty("description").GetString());
    }

    [Fact]
    public async Task The_catalogs_openapi_document_is_served_by_the_gateway_with_the_gateway_as_its_server()
    {
        var document = await _gateway.Client.GetFromJsonAsync<JsonElement>("/openapi/catalog.json");

        Assert.True(document.GetProperty("paths").TryGetProperty("/v1/{appId}/billing/plans", out _));
        var server = document.GetProperty("servers")[0].GetProperty("url").GetString();
        Assert.Equal(_gateway.Address.Authority, new Uri(server!).Authority);
    }

    [Fact]
    public async Task Docs_serve_one_ui_listing_every_services_document()
    {
        using var page = await _gateway.Client.GetAsync("/docs/index.html");
        Assert.Equal(200, (int)page.StatusCode);
        Assert.Contains("swagger-ui", await page.Content.ReadAsStringAsync());

        var settings = await _gateway.Client.GetStringAsync("/docs/index.js");
        foreach (var service in new[] { "catalog", "subscriptions", "orders", "connect", "usage", "webhooks" })
            Assert.Contains($"/openapi/{service}.json", settings);
    }
}
