using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Billing.ServiceDefaults.Api;
using Billing.Subscriptions;
using Billing.Subscriptions.Infrastructure;
using Billing.Subscriptions.Model;
using Billing.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Tests.Subscriptions;

[Collection(InfrastructureCollection.Name)]
public sealed class SubscriptionsApiTests(InfrastructureFixture infrastructure) : IAsyncLifetime
{
    private TestService _service = null!;

    public async Task InitializeAsync() => _service = await TestService.StartAsync(SubscriptionsService.Build, infrastructure, "subscriptions", SubscriptionsTestHost.Settings());

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Fact]
    public async Task ListSubscriptions_filters_by_customer_and_snake_case_status()
    {
        var app = TestApps.NewAppId();
        using (var scope = _service.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SubscriptionsDbContext>();
            db.Subscriptions.AddRange(
                NewSubscription(app, "cus_a", SubscriptionStatus.PastDue),
                NewSubscription(app, "cus_a", SubscriptionStatus.Canceled),
                NewSubscription(app, "cus_b", SubscriptionStatus.PastDue),
                NewSubscription(TestApps.NewAppId(), "cus_a", SubscriptionStatus.PastDue));
            await db.SaveChangesAsync();
        }

        var body = await _service.ClientFor(app).GetFromJsonAsync<JsonElement>($"/v1/{app}/billing/subscriptions?customerId=cus_a&status=past_due");

        var only = Assert.Single(body.GetProperty("data").EnumerateArray());
        Assert.Equal("past_due", only.GetProperty("status").GetString());
        Assert.Equal("cus_a", only.GetProperty("customerId").GetString());
    }

    [Fact]
    public async Task An_unknown_status_filter_is_rejected_naming_the_allowed_values()
    {
        var response = await _service.ClientFor("app_x").GetAsync($"/v1/app_x/billing/subscriptions?status=pastdue");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("past_due", problem.GetProperty("errors").GetProperty("status")[0].GetString());
    }

    private static Subscription NewSubscription(string app, string customer, SubscriptionStatus status) => new()
    {
        Id = Ids.New("sub"), AppId = app, CustomerId = customer, PlanId = "plan_x", PriceId = "price_x", Status = status,
    };
}
