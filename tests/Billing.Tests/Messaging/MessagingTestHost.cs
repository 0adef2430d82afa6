using Billing.ServiceDefaults;
using Billing.ServiceDefaults.Data;
using Billing.ServiceDefaults.Messaging;
using Billing.ServiceDefaults.Security;
using Billing.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Billing.Tests.Messaging;

/// <summary>
/// A stand-in service built the way real services are (service defaults, its database, the bus
/// with the outbox and inbox), with the test consumers and one endpoint that writes a ledger line
/// and its event. It uses the gateway schema, which no other messaging test class uses at the
/// same time (the infrastructure collection runs its tests one after another).
/// </summary>
public static class MessagingTestHost
{
    public const string Schema = "gateway";

    /// <summary>
    /// Short retries and backoff so failures and outages resolve within a test's time, and a
    /// fallback poll too slow to matter: whatever a test sees published was woken by a commit
    /// signal (in-process or NOTIFY), a start, or the end of an outage backoff.
    /// </summary>
    public static readonly Dictionary<string, string?> FastSettings = new()
    {
        ["Messaging:RetryLimit"] = "5",
        ["Messaging:RetryMinInterval"] = "00:00:00.050",
        ["Messaging:RetryMaxInterval"] = "00:00:00.200",
        ["Messaging:RetryIntervalDelta"] = "00:00:00.050",
        ["Messaging:OutboxMaxBackoff"] = "00:00:01",
        ["Messaging:OutboxPublishTimeout"] = "00:00:03",
        ["Messaging:OutboxPollInterval"] = "00:05:00",
    };

    public static Task<TestService> StartAsync(InfrastructureFixture infrastructure, Received received, LogCapture? logs = null) =>
        TestService.StartAsync(args => Build(args, received, logs ?? new LogCapture()), infrastructure, Schema, FastSettings);

    /// <summary>The command line <see cref="TestService"/> gives a host, for a host a test builds but does not start.</summary>
    public static string[] Arguments(InfrastructureFixture infrastructure) =>
        new Dictionary<string, string?>(FastSettings)
        {
            [$"ConnectionStrings:{Schema}db"] = infrastructure.Database(Schema),
            ["ConnectionStrings:rabbitmq"] = infrastructure.RabbitMq.ConnectionString,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Identity:PublicKey"] = TestIdentity.PublicKey,
            ["Messaging:WaitUntilBusStarted"] = "true",
        }.Select(kv => $"--{kv.Key}={kv.Value}").ToArray();

    /// <summary>
    /// Applies the schema's migrations without starting a host, for tests that write rows before
    /// any host runs. On its own async flow, because MassTransit keeps its log context in an
    /// AsyncLocal that would otherwise point the next host at this one's disposed logger factory.
    /// </summary>
    public static Task MigrateAsync(InfrastructureFixture infrastructure) => Task.Run(async () =>
    {
        await using var app = Build(Arguments(infrastructure), new Received(), new LogCapture());
        await app.Services.GetRequiredService<SqlMigrator>().MigrateAsync();
    });

    /// <summary>A DbContext on the test schema with no host around it: a writer whose commits signal nobody.</summary>
    public static MessagingTestDbContext StandaloneDbContext(InfrastructureFixture infrastructure) =>
        new(new DbContextOptionsBuilder<MessagingTestDbContext>().UseNpgsql(infrastructure.Database(Schema)).Options);

    public static WebApplication Build(string[] args, Received received, LogCapture logs)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Logging.AddProvider(logs);
        builder.AddServiceDefaults("messaging-tests");
        builder.AddServiceDatabase<MessagingTestDbContext>(Schema);
        builder.AddServiceBus<MessagingTestDbContext>(bus =>
        {
            bus.AddConsumer<PlanCreatedProbe>();
            bus.AddConsumer<LedgerEntryRecordedProbe>();
            bus.AddConsumer<CreditLedgerConsumer>();
            bus.AddConsumer<FlakyCreditConsumer>();
            bus.AddConsumer<AlwaysFailingConsumer>();
        });
        builder.Services.AddSingleton(received);

        var app = builder.Build();
        app.UseServiceDefaults();
        app.MapDefaultEndpoints();
        app.MapPost("/v1/{appId}/ledger", async (string appId, LedgerRequest request, MessagingTestDbContext db) =>
        {
            var entry = new LedgerEntry { Id = Guid.NewGuid().ToString("N"), AppId = appId, AmountCents = request.AmountCents };
            db.Ledger.Add(entry);
            db.AddOutboxMessage(new LedgerEntryRecorded(Guid.NewGuid(), DateTimeOffset.UtcNow, appId, entry.Id, entry.AmountCents));
            await db.SaveChangesAsync();
            return TypedResults.Created($"/v1/{appId}/ledger/{entry.Id}", new { id = entry.Id });
        }).IsPublic(); // a stand-in service: these tests are about messaging, not callers

        return app;
    }

    public sealed record LedgerRequest(long AmountCents);
}
