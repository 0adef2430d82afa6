using System.Net.Http.Json;
using System.Text.Json;
using Billing.Subscriptions;
using Billing.Tests.Catalog;
using Billing.Tests.EndToEnd;
using Billing.Tests.Infrastructure;

namespace Billing.Tests.Subscriptions;

/// <summary>The customers routes on the service itself (no Stripe call: the Stripe customer is made lazily).</summary>
[Collection(InfrastructureCollection.Name)]
public sealed class CustomersApiTests(InfrastructureFixture infrastructure) : IAsyncLifetime
{
    private TestService _service = null!;

    public async Task InitializeAsync() =>
        _service = await TestService.StartAsync(SubscriptionsService.Build, infrastructure, SubscriptionsService.Name, SubscriptionsTestHost.Settings());

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Fact]
    public async Task Find_or_create_answers_201_then_200_with_the_first_fields_and_no_Stripe_customer_yet()
    {
        var app = TestApps.NewAppId();
        using var client = _service.ClientFor(app);

        var created = await client.PostAsync($"/v1/{app}/billing/customers",
            new { externalId = "u1", email = "a@example.com", name = "A", metadata = new Dictionary<string, string> { ["tier"] = "gold" } }, 201);
        var again = await client.PostAsync($"/v1/{app}/billing/customers", new { externalId = "u1", email = "other@example.com" }, 200);

        Assert.StartsWith("cus_", created.GetProperty("id").GetString());
        Assert.Equal(created.GetProperty("id").GetString(), again.GetProperty("id").GetString());
        Assert.Equal("a@example.com", again.GetProperty("email").GetString());
        Assert.Equal("gold", again.GetProperty("metadata").GetProperty("tier").GetString());
        Assert.Equal(JsonValueKind.Null, again.GetProperty("stripe").GetProperty("customerId").ValueKind);
    }

    [Fact]
    public async Task Lists_page_and_filter_by_external_id_and_another_apps_customer_is_not_found()
    {
        var app = TestApps.NewAppId();
        using var client = _service.ClientFor(app);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
            ids.Add((await client.PostAsync($"/v1/{app}/billing/customers", new { externalId = $"u{i}" }, 201)).GetProperty("id").GetString()!);

        var first = await client.GetAsync($"/v1/{app}/billing/customers?limit=2", 200);
        var rest = await client.GetAsync($"/v1/{app}/billing/customers?startingAfter={ids[1]}", 200);
        var byExternal = await client.GetAsync($"/v1/{app}/billing/customers?externalId=u2", 200);
        var other = TestApps.NewAppId();
        using var otherClient = _service.ClientFor(other);

        Assert.True(first.GetProperty("hasMore").GetBoolean());
        Assert.Equal(ids[2], Assert.Single(rest.GetProperty("data").EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(ids[2], Assert.Single(byExternal.GetProperty("data").EnumerateArray()).GetProperty("id").GetString());
        await otherClient.GetAsync($"/v1/{other}/billing/customers/{ids[0]}", 404);
        Assert.Empty((await otherClient.GetAsync($"/v1/{other}/billing/customers", 200)).GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task A_missing_external_id_or_bad_metadata_is_a_validation_problem_naming_the_fields()
    {
        var app = TestApps.NewAppId();
        using var client = _service.ClientFor(app);

        var problem = await client.PostAsync($"/v1/{app}/billing/customers",
            new { email = "nope", metadata = new Dictionary<string, string> { [new string('k', 41)] = "v" } }, 400);

        Assert.Equal("validation_failed", problem.GetProperty("code").GetString());
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("externalId", out _) && errors.TryGetProperty("email", out _) && errors.TryGetProperty("metadata", out _), errors.ToString());
    }

    [Fact]
    public async Task Subscribe_for_a_plan_unknown_here_while_Catalog_cannot_be_asked_is_a_retryable_503_not_a_404()
    {
        // This service is configured without a Catalog to ask (as if it were down): it cannot tell "no such plan"
        // from "its PlanChanged is still on the way", so it says neither.
        var app = TestApps.NewAppId();
        using var client = _service.ClientFor(app);
        var customer = (await client.PostAsync($"/v1/{app}/billing/customers", new { externalId = "u" }, 201)).GetProperty("id").GetString();

        var problem = await client.PostAsync($"/v1/{app}/billing/subscribe",
            new { planId = "plan_unknown", customerId = customer, successUrl = "https://shop.example.com/ok", cancelUrl = "https://shop.example.com/no" }, 503);

        Assert.Equal("unavailable", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Subscribe_for_a_plan_Catalog_holds_but_whose_PlanChanged_has_not_arrived_is_the_retryable_conflict()
    {
        // This service never hears of the plan: Catalog's PlanChanged stays in its outbox.
        await using var catalog = await CatalogTestHost.StartWithEventsHeldAsync(infrastructure);
        await using var subscriptions = await TestService.StartAsync(SubscriptionsService.Build, infrastructure, SubscriptionsService.Name,
            new Dictionary<string, string?>(SubscriptionsTestHost.Settings()) { ["services:catalog:http:0"] = catalog.Address.ToString() });
        var app = TestApps.NewAppId();
        using var toCatalog = catalog.ClientFor(app);
        var plan = (await toCatalog.PostAsync($"/v1/{app}/billing/plans", new { name = "Pro", priceCents = 2900, interval = "month" }, 201))
            .GetProperty("id").GetString();
        using var client = subscriptions.ClientFor(app);
        var customer = (await client.PostAsync($"/v1/{app}/billing/customers", new { externalId = "u" }, 201)).GetProperty("id").GetString();

        var pending = await client.PostAsync($"/v1/{app}/billing/subscribe",
            new { planId = plan, customerId = customer, successUrl = "https://shop.example.com/ok", cancelUrl = "https://shop.example.com/no" }, 409);
        var unknown = await client.PostAsync($"/v1/{app}/billing/subscribe",
            new { planId = "plan_unknown", customerId = customer, successUrl = "https://shop.example.com/ok", cancelUrl = "https://shop.example.com/no" }, 404);

        Assert.Equal("plan_not_sellable", pending.GetProperty("reason").GetString());
        Assert.Equal("not_found", unknown.GetProperty("code").GetString());
    }
}
