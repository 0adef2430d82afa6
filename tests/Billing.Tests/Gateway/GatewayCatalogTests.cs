using System.Net.Http.Json;
using System.Text.Json;
using Billing.Catalog;
using Billing.Catalog.Infrastructure;
using Billing.Catalog.Model;
using Billing.ServiceDefaults.Api;
using Billing.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Tests.Gateway;

/// <summary>The gateway in front of the real Catalog service on the real Postgres; echo servers stand in for the rest.</summary>
[Collection(InfrastructureCollection.Name)]
public sealed class GatewayCatalogTests(InfrastructureFixture infrastructure) : IAsyncLifetime
{
    private TestService _catalog = null!;
    private EchoBackends _others = null!;
    private TestGateway _gateway = null!;

    public async Task InitializeAsync()
    {
        _catalog = await TestService.StartAsync(CatalogService.Build, infrastructure, "catalog");
        _others = await EchoBackends.StartAsync(except: "catalog");
        _gateway = await TestGateway.StartAsync(_others.Destinations(("catalog", [_catalog.Address])));
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _others.DisposeAsync();
        await _catalog.DisposeAsync();
    }

    [Fact]
    public async Task Plans_through_the_gateway_are_the_catalogs_plans()
    {
        var app = TestApps.NewAppId();
        using (var scope = _catalog.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
            db.Plans.Add(new Plan { Id = Ids.New("plan"), AppId = app, Name = "Pro", PriceCents = 2900, Active = true });
            await db.SaveChangesAsync();
        }

        var body = await _gateway.Client.GetFromJsonAsync<JsonElement>($"/v1/{app}/billing/plans");

        var plan = Assert.Single(body.GetProperty("data").EnumerateArray());
        Assert.Equal("Pro", plan.GetProperty("name").GetString());
        Assert.Equal(2900, plan.GetProperty("priceCents").GetInt64());
    }

    [Fact]
    public async Task The_catalog_sees_the_request_id_the_gateway_made_and_puts_it_in_its_own_problem()
    {
        // The 400 problem is written by the Catalog service: its requestId is the id the service received.
        using var response = await _gateway.Client.GetAsync($"/v1/{TestApps.NewAppId()}/billing/plans?limit=500");

        var problem = await ProblemAssert.IsProblem(response, 400, "validation_failed");
        Assert.StartsWith("req_", problem.GetProperty("requestId").GetString());
    }

    [Fact]
    public async Task The_catalog_sees_the_callers_own_request_id()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/{TestApps.NewAppId()}/billing/plans?limit=0");
        request.Headers.Add("X-Request-Id", "checkout-page-7f3a");

        using var response = await _gateway.Client.SendAsync(request);

        var problem = await ProblemAssert.IsProblem(response, 400, "validation_failed");
        Assert.Equal("checkout-page-7f3a", problem.GetProperty("requestId").GetString());
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
