using Billing.ServiceDefaults.Api;
using Billing.ServiceDefaults.Data;
using Billing.ServiceDefaults.Messaging;
using Billing.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Billing.Tests.Messaging;

[Collection(InfrastructureCollection.Name)]
public sealed class OutboxRelayTests(InfrastructureFixture infrastructure)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly Received _received = new();

    [Fact]
    public async Task A_commit_announced_by_another_replica_wakes_this_relay_through_Postgres_NOTIFY()
    {
        await using var host = await MessagingTestHost.StartAsync(infrastructure, _received);
        // Let the host's listener subscribe and finish its start-up drain first.
        await Task.Delay(1000);
        var app = TestApps.NewAppId();

        // The other replica: its commit and its notifier, but no relay of its own.
        var peerSignal = new OutboxSignal();
        await using var peerDatabase = NpgsqlDataSource.Create(infrastructure.Database(MessagingTestHost.Schema));
        var peerNotifier = new OutboxPeerNotifier(peerDatabase, new ServiceSchema(MessagingTestHost.Schema), peerSignal, NullLogger<OutboxPeerNotifier>.Instance);
        await peerNotifier.StartAsync(CancellationToken.None);
        try
        {
            await using (var db = MessagingTestHost.StandaloneDbContext(infrastructure))
            {
                db.AddOutboxMessage(NewPlanCreated(app));
                await db.SaveChangesAsync();
            }
            peerSignal.Committed();

            // The host polls every 5 minutes: only the notification can bring it this soon.
            var arrived = await _received.WaitForAsync<PlanCreated>(p => p.AppId == app, 1, TimeSpan.FromSeconds(5));
            Assert.Single(arrived);
        }
        finally
        {
            await peerNotifier.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Two_relays_draining_the_same_rows_publish_each_exactly_once()
    {
        const int events = 200;
        var app = TestApps.NewAppId();
        await MessagingTestHost.MigrateAsync(infrastructure);
        await using (var db = MessagingTestHost.StandaloneDbContext(infrastructure))
        {
            for (var i = 0; i < events; i++) db.AddOutboxMessage(NewPlanCreated(app) with { Name = $"plan {i}" });
            await db.SaveChangesAsync();
        }

        // Both drain the backlog as they start, racing for the same rows.
        var starting = new[] { MessagingTestHost.StartAsync(infrastructure, _received), MessagingTestHost.StartAsync(infrastructure, _received) };
        var hosts = await Task.WhenAll(starting);
        try
        {
            await _received.WaitForAsync<PlanCreated>(p => p.AppId == app, events, Patience);
            // Duplicates would trail the originals; give them time to show.
            await Task.Delay(1000);
            var arrived = _received.Of<PlanCreated>(p => p.AppId == app);
            Assert.Equal(events, arrived.Count);
            Assert.Equal(events, arrived.Select(a => a.MessageId).Distinct().Count());
            Assert.Equal(events, arrived.Select(a => a.Message.Name).Distinct().Count());
        }
        finally
        {
            foreach (var host in hosts) await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_row_whose_type_is_unknown_is_set_aside_with_its_reason_and_does_not_hold_up_the_rows_behind_it()
    {
        var app = TestApps.NewAppId();
        var poison = Guid.NewGuid();
        await MessagingTestHost.MigrateAsync(infrastructure);
        await using var connection = new NpgsqlConnection(infrastructure.Database(MessagingTestHost.Schema));
        await connection.OpenAsync();
        await using (var insert = new NpgsqlCommand(
            "insert into outbox_messages (id, message_type, body) values (@id, 'Billing.Gone.PlanRenamed, Billing.Gone', @body::jsonb)", connection))
        {
            insert.Parameters.AddWithValue("id", poison);
            insert.Parameters.AddWithValue("body", $$"""{"appId":"{{app}}"}""");
            await insert.ExecuteNonQueryAsync();
        }
        await using (var db = MessagingTestHost.StandaloneDbContext(infrastructure))
        {
            db.AddOutboxMessage(NewPlanCreated(app));
            await db.SaveChangesAsync();
        }
        try
        {
            await using var host = await MessagingTestHost.StartAsync(infrastructure, _received);

            Assert.Single(await _received.WaitForAsync<PlanCreated>(p => p.AppId == app, 1, Patience));
            Assert.Equal(1, await SchemaQueries.EventuallyCountAsync(infrastructure, 1, """
                select count(*) from outbox_messages
                where id = @id and published_at is null and attempts >= 1
                  and last_error like 'unknown message type Billing.Gone.PlanRenamed%' and next_attempt_at > now()
                """, ("id", poison)));
        }
        finally
        {
            // Other hosts on this schema would keep retrying it.
            await using var delete = new NpgsqlCommand("delete from outbox_messages where id = @id", connection);
            delete.Parameters.AddWithValue("id", poison);
            await delete.ExecuteNonQueryAsync();
        }
    }

    private static PlanCreated NewPlanCreated(string app) =>
        new(Guid.NewGuid(), DateTimeOffset.UtcNow, app, Ids.New("plan"), "Starter", 900, "usd", "month", 0);
}
