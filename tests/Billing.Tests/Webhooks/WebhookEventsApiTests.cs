using System.Net.Http.Json;
using System.Text.Json;
using Billing.ServiceDefaults.Api;
using Billing.Tests.Infrastructure;
using Billing.Webhooks;
using Billing.Webhooks.Infrastructure;
using Billing.Webhooks.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Tests.Webhooks;

[Collection(InfrastructureCollection.Name)]
public sealed class WebhookEventsApiTests(InfrastructureFixture infrastructure) : IAsyncLifetime
{
    private TestService _service = null!;

    public async Task InitializeAsync() => _service = await WebhooksTestHost.StartAsync(infrastructure);

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Fact]
    public async Task ListEvents_filters_received_events_by_app_and_type()
    {
        var app = TestApps.NewAppId();
        await Save(NewEvent(app, "invoice.paid"), NewEvent(app, "account.updated"), NewEvent(TestApps.NewAppId(), "invoice.paid"));

        var body = await _service.ClientAs(TestIdentity.Operator()).GetFromJsonAsync<JsonElement>($"/v1/admin/webhook-events?appId={app}&type=invoice.paid");

        var only = Assert.Single(body.GetProperty("data").EnumerateArray());
        Assert.Equal("invoice.paid", only.GetProperty("type").GetString());
        Assert.Equal("published", only.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_stripe_event_is_stored_once_whatever_the_number_of_deliveries()
    {
        var first = NewEvent(TestApps.NewAppId(), "invoice.paid");
        await Save(first);

        var copy = NewEvent(first.AppId!, first.Type, first.StripeEventId);
        var error = await Assert.ThrowsAsync<DbUpdateException>(() => Save(copy));
        Assert.Contains("stripe_event_id", error.InnerException!.Message);
    }

    private static ReceivedEvent NewEvent(string app, string type, string? stripeId = null) => new()
    {
        Id = Ids.New("whe"), StripeEventId = stripeId ?? "evt_" + Guid.NewGuid().ToString("N"), Type = type, AppId = app,
        StripeCreatedAt = DateTimeOffset.UtcNow, Payload = "{}", Status = ProcessingStatus.Published,
    };

    private async Task Save(params ReceivedEvent[] events)
    {
        using var scope = _service.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>();
        db.ReceivedEvents.AddRange(events);
        await db.SaveChangesAsync();
    }
}
