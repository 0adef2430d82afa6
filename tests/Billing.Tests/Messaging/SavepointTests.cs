using System.Diagnostics;
using Billing.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Tests.Messaging;

/// <summary>
/// A service's DbContext saves inside an explicit transaction without EF's automatic savepoints (two round trips
/// per SaveChanges that no code of ours uses), and a failed SaveChanges still leaves nothing behind once rolled back.
/// </summary>
[Collection(InfrastructureCollection.Name)]
public sealed class SavepointTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task SaveChanges_in_an_explicit_transaction_creates_no_savepoint_and_a_failed_one_rolls_back_whole()
    {
        await MessagingTestHost.MigrateAsync(infrastructure);
        await using var app = MessagingTestHost.Build(MessagingTestHost.Arguments(infrastructure), new Received(), new LogCapture());
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MessagingTestDbContext>();
        using var savepoints = new SavepointCounter(db);
        var appId = TestApps.NewAppId();
        var first = Guid.NewGuid().ToString("N");

        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            db.Ledger.Add(new LedgerEntry { Id = first, AppId = appId, AmountCents = 100 });
            await db.SaveChangesAsync();
            db.Ledger.Add(new LedgerEntry { Id = Guid.NewGuid().ToString("N"), AppId = appId, AmountCents = 200 });
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }
        Assert.Equal(0, savepoints.Count);
        Assert.Equal(2, await SchemaQueries.CountAsync(infrastructure,
            "select count(*) from messaging_test_ledger where app_id = @app", ("app", appId)));

        // A unit of work whose SaveChanges fails ends there: the transaction is rolled back, the earlier save with it.
        db.ChangeTracker.Clear();
        var second = Guid.NewGuid().ToString("N");
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            db.Ledger.Add(new LedgerEntry { Id = second, AppId = appId, AmountCents = 300 });
            await db.SaveChangesAsync();
            db.Ledger.Add(new LedgerEntry { Id = first, AppId = appId, AmountCents = 400 });
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        }
        Assert.Equal(0, savepoints.Count);
        Assert.Equal(0, await SchemaQueries.CountAsync(infrastructure,
            "select count(*) from messaging_test_ledger where id = @id", ("id", second)));
    }

    /// <summary>Counts EF's "creating savepoint" events of one context (EF reports them through its DiagnosticSource).</summary>
    private sealed class SavepointCounter : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        private readonly DbContext _context;
        private readonly IDisposable _all;
        private IDisposable? _ef;
        private int _count;

        public SavepointCounter(DbContext context)
        {
            _context = context;
            _all = DiagnosticListener.AllListeners.Subscribe(this);
        }

        public int Count => Volatile.Read(ref _count);

        public void OnNext(DiagnosticListener listener)
        {
            if (listener.Name == DbLoggerCategory.Name) _ef = listener.Subscribe(this);
        }

        public void OnNext(KeyValuePair<string, object?> e)
        {
            if (e.Key == RelationalEventId.CreatingTransactionSavepoint.Name && e.Value is TransactionEventData data && data.Context == _context)
                Interlocked.Increment(ref _count);
        }

        public void OnCompleted() { }
        public void OnError(Exception error) { }

        public void Dispose()
        {
            _ef?.Dispose();
            _all.Dispose();
        }
    }
}
