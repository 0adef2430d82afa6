using System.Diagnostics;
using Billing.ServiceDefaults.Messaging;
using Billing.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Tests.Messaging;

/// <summary>
/// With tracing on (here a listener; in a service, the OTLP exporter), an event published by the
/// relay after the commit continues the trace of the request that staged it, so one trace shows a
/// Stripe webhook, its commit, the publish and every consumer.
/// </summary>
[Collection(InfrastructureCollection.Name)]
public sealed class OutboxTracingTests(InfrastructureFixture infrastructure)
{
    private const string RequestSource = "Billing.Tests.Tracing";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly Received _received = new();

    [Fact]
    public async Task An_event_published_after_the_commit_is_consumed_in_the_trace_of_the_request_that_staged_it()
    {
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is RequestSource or "MassTransit",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        using var requests = new ActivitySource(RequestSource);
        await using var host = await MessagingTestHost.StartAsync(infrastructure, _received);
        var app = TestApps.NewAppId();

        Guid rowId;
        string requestTrace;
        using (var request = requests.StartActivity("POST /webhooks/stripe"))
        using (var scope = host.Services.CreateScope())
        {
            requestTrace = request!.TraceId.ToString();
            var db = scope.ServiceProvider.GetRequiredService<MessagingTestDbContext>();
            rowId = db.AddOutboxMessage(new PlanCreated(Guid.NewGuid(), DateTimeOffset.UtcNow, app,
                Billing.ServiceDefaults.Api.Ids.New("plan"), "Traced", 900, "usd", "month", 0)).Id;
            await db.SaveChangesAsync();
        }

        Assert.Single(await _received.WaitForAsync<PlanCreated>(p => p.AppId == app, 1, Patience));
        Assert.Equal(requestTrace, _received.TraceOf(rowId));
    }
}
