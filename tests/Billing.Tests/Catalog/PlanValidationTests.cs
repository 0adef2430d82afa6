using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Billing.Tests.Infrastructure;

namespace Billing.Tests.Catalog;

/// <summary>What the plan routes refuse, and that another app's plan does not exist for a caller.</summary>
[Collection(InfrastructureCollection.Name)]
public sealed class PlanValidationTests(InfrastructureFixture infrastructure) : IAsyncLifetime
{
    private TestService _catalog = null!;

    public async Task InitializeAsync() => _catalog = await CatalogTestHost.StartAsync(infrastructure);

    public async Task DisposeAsync() => await _catalog.DisposeAsync();

    [Fact]
    public async Task Bad_prices_are_reported_by_their_field()
    {
        var app = TestApps.NewAppId();

        var fields = await InvalidFields(app, new
        {
            name = "X", prices = new object[] { new { interval = "month", amountCents = -1 }, new { amountCents = 100, currency = "EUR" } },
        });

        Assert.Equal(["prices[0].amountCents", "prices[1].currency", "prices[1].interval"], fields);
    }

    [Fact]
    public async Task Two_prices_for_one_interval_or_in_two_currencies_are_refused()
    {
        var app = TestApps.NewAppId();

        var twice = await InvalidFields(app, new
        {
            name = "X", prices = new object[] { new { interval = "month", amountCents = 100 }, new { interval = "month", amountCents = 200 } },
        });
        var currencies = await InvalidFields(app, new
        {
            name = "X", prices = new object[] { new { interval = "month", amountCents = 100, currency = "usd" }, new { interval = "year", amountCents = 900, currency = "eur" } },
        });

        Assert.Equal(["prices"], twice);
        Assert.Equal(["currency"], currencies);
    }

    [Fact]
    public async Task A_plan_needs_a_price_and_limits_are_non_negative()
    {
        var app = TestApps.NewAppId();

        var fields = await InvalidFields(app, new { name = "X", limits = new Dictionary<string, long> { ["ai_tokens"] = -1 } });

        Assert.Equal(["limits", "priceCents"], fields);
    }

    [Fact]
    public async Task An_update_is_checked_like_a_create()
    {
        var app = TestApps.NewAppId();
        var client = _catalog.ClientFor(app, "catalog:write");
        var location = (await client.PostAsJsonAsync($"/v1/{app}/billing/plans", new { name = "Starter", priceCents = 900, interval = "month" }))
            .Headers.Location!.ToString();

        var response = await client.PutAsJsonAsync(location, new { name = " ", priceCents = -3, trialDays = -1 });
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var unchanged = await client.GetFromJsonAsync<JsonElement>(location);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["name", "priceCents", "trialDays"], problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("Starter", unchanged.GetProperty("name").GetString());
        Assert.Equal(900, unchanged.GetProperty("priceCents").GetInt64());
    }

    [Fact]
    public async Task Another_apps_plan_is_not_found_for_reading_changing_or_archiving()
    {
        var owner = TestApps.NewAppId();
        var other = TestApps.NewAppId();
        var created = await (await _catalog.ClientFor(owner).PostAsJsonAsync($"/v1/{owner}/billing/plans", new { name = "Mine", priceCents = 900, interval = "month" }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var planId = created.GetProperty("id").GetString();
        var intruder = _catalog.ClientFor(other);

        var read = await intruder.GetAsync($"/v1/{other}/billing/plans/{planId}");
        var update = await intruder.PutAsJsonAsync($"/v1/{other}/billing/plans/{planId}", new { name = "Theirs" });
        var archive = await intruder.PostAsync($"/v1/{other}/billing/plans/{planId}/archive", null);
        var asProduct = await intruder.PutAsJsonAsync($"/v1/{other}/billing/products/{planId}", new { name = "Theirs" });
        var still = await _catalog.ClientFor(owner).GetFromJsonAsync<JsonElement>($"/v1/{owner}/billing/plans/{planId}");

        Assert.All([read, update, archive, asProduct], r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        Assert.Equal("not_found", (await read.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal("Mine", still.GetProperty("name").GetString());
        Assert.True(still.GetProperty("active").GetBoolean());
    }

    private async Task<List<string>> InvalidFields(string app, object body)
    {
        var response = await _catalog.ClientFor(app, "catalog:write").PostAsJsonAsync($"/v1/{app}/billing/plans", body);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("validation_failed", problem.GetProperty("code").GetString());
        return problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
    }
}
