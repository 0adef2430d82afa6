using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Billing.Catalog.Infrastructure;
using Billing.Catalog.Model;
using Billing.ServiceDefaults.Api;
using Billing.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Tests.Catalog;

[Collection(InfrastructureCollection.Name)]
public sealed class PlansApiTests(InfrastructureFixture infrastructure) : IAsyncLifetime
{
    private TestService _catalog = null!;

    public async Task InitializeAsync() => _catalog = await CatalogTestHost.StartAsync(infrastructure);

    public async Task DisposeAsync() => await _catalog.DisposeAsync();

    [Fact]
    public async Task ListPlans_returns_the_apps_active_plans_from_its_table_and_nothing_of_other_apps()
    {
        var app = TestApps.NewAppId();
        var other = TestApps.NewAppId();
        await SavePlans(NewPlan(app, "Starter", 900), NewPlan(app, "Archived", 100, active: false), NewPlan(other, "Foreign", 500));

        var body = await _catalog.ClientFor(app).GetFromJsonAsync<JsonElement>($"/v1/{app}/billing/plans");

        var names = body.GetProperty("data").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Equal(["Starter"], names);
        Assert.False(body.GetProperty("hasMore").GetBoolean());
        var plan = body.GetProperty("data")[0];
        Assert.Equal(900, plan.GetProperty("priceCents").GetInt64());
        Assert.Equal("month", plan.GetProperty("interval").GetString());
        Assert.Equal("pending", plan.GetProperty("stripe").GetProperty("syncStatus").GetString());
    }

    [Fact]
    public async Task ListPlans_pages_with_limit_and_startingAfter()
    {
        var app = TestApps.NewAppId();
        await SavePlans(Enumerable.Range(1, 5).Select(i => NewPlan(app, $"Plan {i}", i * 100)).ToArray());

        var first = await _catalog.ClientFor(app).GetFromJsonAsync<JsonElement>($"/v1/{app}/billing/plans?limit=2");
        var lastId = first.GetProperty("data")[1].GetProperty("id").GetString();
        var rest = await _catalog.ClientFor(app).GetFromJsonAsync<JsonElement>($"/v1/{app}/billing/plans?limit=10&startingAfter={lastId}");

        Assert.True(first.GetProperty("hasMore").GetBoolean());
        Assert.Equal(3, rest.GetProperty("data").GetArrayLength());
        Assert.False(rest.GetProperty("hasMore").GetBoolean());
    }

    [Fact]
    public async Task A_limit_out_of_range_is_a_validation_problem_with_its_code()
    {
        var response = await _catalog.ClientFor("app_x").GetAsync($"/v1/app_x/billing/plans?limit=500");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("validation_failed", problem.GetProperty("code").GetString());
        Assert.Equal(response.Headers.GetValues("X-Request-Id").Single(), problem.GetProperty("requestId").GetString());
    }

    [Fact]
    public async Task Health_is_ready_when_the_database_answers()
    {
        var response = await _catalog.Client.GetAsync("/health");
        var health = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", health.GetProperty("checks").GetProperty("postgres").GetProperty("status").GetString());
    }

    [Fact]
    public async Task CreatePlan_stores_the_plan_and_answers_201_with_its_location()
    {
        var app = TestApps.NewAppId();
        var client = _catalog.ClientFor(app, "catalog:write");

        var response = await client.PostAsJsonAsync($"/v1/{app}/billing/plans", new
        {
            name = "Pro", priceCents = 2900, interval = "year", features = new[] { "sso" },
            limits = new Dictionary<string, long> { ["ai_tokens"] = 100_000 }, trialDays = 14, metadata = new Dictionary<string, string> { ["tier"] = "pro" },
        });
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        var read = await client.GetFromJsonAsync<JsonElement>(response.Headers.Location!.ToString());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.StartsWith("plan_", created.GetProperty("id").GetString());
        Assert.Equal(created.GetProperty("id").GetString(), read.GetProperty("id").GetString());
        Assert.Equal("year", read.GetProperty("interval").GetString());
        Assert.Equal(100_000, read.GetProperty("limits").GetProperty("ai_tokens").GetInt64());
        Assert.Equal("pro", read.GetProperty("metadata").GetProperty("tier").GetString());
    }

    [Fact]
    public async Task CreatePlan_reports_every_invalid_field_at_once()
    {
        var app = TestApps.NewAppId();

        var response = await _catalog.ClientFor(app).PostAsJsonAsync($"/v1/{app}/billing/plans",
            new { name = "", priceCents = -5, currency = "USD", trialDays = 9999 });
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("validation_failed", problem.GetProperty("code").GetString());
        var fields = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order().ToList();
        Assert.Equal(["currency", "interval", "name", "priceCents", "trialDays"], fields);
    }

    [Theory]
    [InlineData("""{"name":"Pro\u0000","priceCents":100,"interval":"month"}""")]
    [InlineData("""{"name":"Pro","description":"\u0000","priceCents":100,"interval":"month"}""")]
    [InlineData("""{"name":"Pro","priceCents":100,"interval":"month","features":["sso\u0000"]}""")]
    [InlineData("""{"name":"Pro","priceCents":100,"interval":"month","metadata":{"tier":"a\u0000b"}}""")]
    [InlineData("""{"name":"Pro","priceCents":100,"interval":"month","metadata":{"ti\u0000er":"pro"}}""")]
    public async Task A_NUL_character_anywhere_in_a_plan_is_a_validation_problem_not_a_server_error(string body)
    {
        var app = TestApps.NewAppId();

        var response = await _catalog.ClientFor(app, "catalog:write").PostAsync($"/v1/{app}/billing/plans",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("validation_failed", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task An_unknown_interval_is_a_validation_problem_not_a_server_error()
    {
        var app = TestApps.NewAppId();

        var response = await _catalog.ClientFor(app).PostAsJsonAsync($"/v1/{app}/billing/plans", new { name = "X", priceCents = 1, interval = "weekly" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("validation_failed", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    private static Plan NewPlan(string appId, string name, long cents, bool active = true)
    {
        var plan = new Plan { Id = Ids.New("plan"), AppId = appId, Name = name, Active = active };
        plan.SetPrice(BillingInterval.Month, cents, "usd", DateTimeOffset.UtcNow);
        return plan;
    }

    private async Task SavePlans(params Plan[] plans)
    {
        using var scope = _catalog.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        db.Plans.AddRange(plans);
        await db.SaveChangesAsync();
    }
}
