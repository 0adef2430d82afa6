using Billing.ServiceDefaults.Messaging;
using Billing.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Tests.Messaging;

[Collection(InfrastructureCollection.Name)]
public sealed class OutboxPublishingTests(InfrastructureFixture infrastructure)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly Received _received = new();

    [Fact]
    public async Task A_committed_event_reaches_a_real_consumer_once_with_the_row_id_as_MessageId()
    {
        await using var host = await MessagingTestHost.StartAsync(infrastructure, _received);
        var app = TestApps.NewAppId();

        Guid rowId;
        using (var scope = host.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MessagingTestDbContext>();
            db.Ledger.Add(new LedgerEntry { Id = Guid.NewGuid().ToString("N"), AppId = app, AmountCents = 900 });
            rowId = db.AddOutboxMessage(NewPlanCreated(app)).Id;
            await db.SaveChangesAsync();
        }

        var arrived = await _received.WaitForAsync<PlanCreated>(p => p.AppId == app, 1, Patience);
        Assert.Single(arrived);
        Assert.Equal(rowId, arrived[0].MessageId);
        Assert.Equal(900, arrived[0].Message.PriceCents);
        // A second delivery would come right behind the first; give it the chance to show.
        await Task.Delay(500);
        Assert.Single(_received.Of<PlanCreated>(p => p.AppId == app));
        Assert.Equal(1, await SchemaQueries.EventuallyCountAsync(infrastructure, 1,
            "select count(*) from outbox_messages where id = @id and published_at is not null and attempts = 1", ("id", rowId)));
    }

    [Fact]
    public async Task A_rolled_back_business_change_publishes_nothing()
    {
        await using var host = await MessagingTestHost.StartAsync(infrastructure, _received);
        var app = TestApps.NewAppId();
        var rolledBack = NewPlanCreated(app) with { Name = "rolled back" };

        using (var scope = host.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MessagingTestDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Ledger.Add(new LedgerEntry { Id = rolledBack.PlanId, AppId = app, AmountCents = 100 });
            db.AddOutboxMessage(rolledBack);
            await db.SaveChangesAsync();
            await transaction.RollbackAsync();
        }
        // The relay publishes in commit order, so once a later event arrived, an earlier one would have too.
        using (var scope = host.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MessagingTestDbContext>();
            db.AddOutboxMessage(NewPlanCreated(app) with { Name = "marker" });
            await db.SaveChangesAsync();
        }

        await _received.WaitForAsync<PlanCreated>(p => p.AppId == app && p.Name == "marker", 1, Patience);
        Assert.Single(_received.Of<PlanCreated>(p => p.AppId == app && p.Name == "marker"));
        Assert.Empty(_received.Of<PlanCreated>(p => p.AppId == app && p.Name == "rolled back"));
        Assert.Equal(0, await SchemaQueries.CountAsync(infrastructure,
            "select count(*) from outbox_messages where body->>'planId' = @plan", ("plan", rolledBack.PlanId)));
        Assert.Equal(0, await SchemaQueries.CountAsync(infrastructure,
            "select count(*) from messaging_test_ledger where id = @id", ("id", rolledBack.PlanId)));
    }

    [Fact]
    public async Task Events_committed_by_a_process_that_died_before_publishing_are_published_by_the_next_start()
    {
        var app = TestApps.NewAppId();
        // A process that commits and dies before its relay ever runs.
        await MessagingTestHost.MigrateAsync(infrastructure);
        await using (var crashed = MessagingTestHost.StandaloneDbContext(infrastructure))
        {
            for (var i = 0; i < 3; i++) crashed.AddOutboxMessage(NewPlanCreated(app) with { Name = $"plan {i}" });
            await crashed.SaveChangesAsync();
        }
        Assert.Equal(3, await SchemaQueries.CountAsync(infrastructure,
            "select count(*) from outbox_messages where body->>'appId' = @app and published_at is null", ("app", app)));

        await using var restarted = await MessagingTestHost.StartAsync(infrastructure, _received);

        var arrived = await _received.WaitForAsync<PlanCreated>(p => p.AppId == app, 3, Patience);
        Assert.Equal(["plan 0", "plan 1", "plan 2"], arrived.Select(a => a.Message.Name).Order());
        Assert.Equal(0, await SchemaQueries.EventuallyCountAsync(infrastructure, 0,
            "select count(*) from outbox_messages where body->>'appId' = @app and published_at is null", ("app", app)));
    }

    private static PlanCreated NewPlanCreated(string app) =>
        new(Guid.NewGuid(), DateTimeOffset.UtcNow, app, Billing.ServiceDefaults.Api.Ids.New("plan"), "Starter", 900, "usd", "month", 0);
}
