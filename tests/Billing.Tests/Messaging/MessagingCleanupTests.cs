using Billing.Tests.Infrastructure;
using Npgsql;

namespace Billing.Tests.Messaging;

[Collection(InfrastructureCollection.Name)]
public sealed class MessagingCleanupTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task Cleanup_deletes_old_published_outbox_rows_and_old_inbox_rows_but_never_an_unpublished_row()
    {
        var oldPublished = Guid.NewGuid();
        var oldUnpublished = Guid.NewGuid();
        var recentPublished = Guid.NewGuid();
        var oldInbox = Guid.NewGuid();
        var recentInbox = Guid.NewGuid();
        await MessagingTestHost.MigrateAsync(infrastructure);
        await using var connection = new NpgsqlConnection(infrastructure.Database(MessagingTestHost.Schema));
        await connection.OpenAsync();
        // The unpublished row has a type nobody can read, so the relay sets it aside instead of publishing it.
        await using (var seed = new NpgsqlCommand("""
            insert into outbox_messages (id, message_type, body, created_at, published_at) values
                (@oldPublished, 'Billing.Gone.Old, Billing.Gone', '{}', now() - interval '9 days', now() - interval '8 days'),
                (@oldUnpublished, 'Billing.Gone.Old, Billing.Gone', '{}', now() - interval '9 days', null),
                (@recentPublished, 'Billing.Gone.Old, Billing.Gone', '{}', now() - interval '2 days', now() - interval '1 day');
            insert into inbox_messages (message_id, consumer, processed_at) values
                (@oldInbox, 'cleanup-test', now() - interval '31 days'),
                (@recentInbox, 'cleanup-test', now() - interval '29 days');
            """, connection))
        {
            foreach (var (name, id) in new[] { ("oldPublished", oldPublished), ("oldUnpublished", oldUnpublished),
                         ("recentPublished", recentPublished), ("oldInbox", oldInbox), ("recentInbox", recentInbox) })
                seed.Parameters.AddWithValue(name, id);
            await seed.ExecuteNonQueryAsync();
        }
        try
        {
            // The cleanup runs as the service starts, with the default retention (7 days outbox, 30 days inbox).
            await using var host = await MessagingTestHost.StartAsync(infrastructure, new Received());

            Assert.Equal(0, await SchemaQueries.EventuallyCountAsync(infrastructure, 0,
                "select count(*) from outbox_messages where id = @id", ("id", oldPublished)));
            Assert.Equal(0, await SchemaQueries.EventuallyCountAsync(infrastructure, 0,
                "select count(*) from inbox_messages where message_id = @id", ("id", oldInbox)));
            Assert.Equal(1, await SchemaQueries.CountAsync(infrastructure,
                "select count(*) from outbox_messages where id = @id", ("id", oldUnpublished)));
            Assert.Equal(1, await SchemaQueries.CountAsync(infrastructure,
                "select count(*) from outbox_messages where id = @id", ("id", recentPublished)));
            Assert.Equal(1, await SchemaQueries.CountAsync(infrastructure,
                "select count(*) from inbox_messages where message_id = @id", ("id", recentInbox)));
        }
        finally
        {
            await using var delete = new NpgsqlCommand("""
                delete from outbox_messages where id = any(@outbox);
                delete from inbox_messages where consumer = 'cleanup-test';
                """, connection);
            delete.Parameters.AddWithValue("outbox", new[] { oldPublished, oldUnpublished, recentPublished });
            await delete.ExecuteNonQueryAsync();
        }
    }
}
