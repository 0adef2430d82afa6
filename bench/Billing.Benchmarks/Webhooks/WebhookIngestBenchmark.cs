using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Billing.Benchmarks.Infrastructure;
using Billing.Contracts.Stripe;
using Billing.Gateway;
using Billing.Gateway.Routing;
using Billing.ServiceDefaults.Security;
using Billing.Webhooks;
using Npgsql;

namespace Billing.Benchmarks.Webhooks;

/// <summary>
/// Signed Stripe webhooks through the gateway into the Webhooks service (verify, durable insert
/// with its outbox row, 200), on a durable Postgres:
/// 1. sustained ingest with N concurrent senders, against plain single-row durable inserts of the
///    same body into Postgres at the same concurrency, in the same run;
/// 2. latency from "webhook sent" to "normalized event consumed" at a steady open-loop rate.
/// </summary>
public static class WebhookIngestBenchmark
{
    private const string Secret = "whsec_bench_platform";
    private const double TargetIngestP99Milliseconds = 250;
    private const double TargetRatio = 0.5;
    private const double TargetEndToEndP99Milliseconds = 100;

    public static async Task<int> RunAsync(BenchmarkArguments arguments)
    {
        var seconds = arguments.Int("seconds", 5);
        var concurrency = arguments.Int("concurrency", 16);
        var rate = arguments.Int("rate", 200);
        var latencySeconds = arguments.Int("latency-seconds", 10);
        var warmup = arguments.Int("warmup", 20);
        ThreadPool.SetMinThreads(64, 64);

        Console.WriteLine($"webhooks benchmark: {warmup} s warm-up, {concurrency} senders x {seconds} s per phase; then {rate} events/s for {latencySeconds} s");
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load average {Load.Average()}");
        Console.WriteLine("starting Postgres (durable), RabbitMQ and Redis on loopback ...");
        await using var servers = await StackServers.StartAsync("gateway", "webhooks");
        var flush = DiskFlush.Measure(servers.Root);
        // Declares the consumer's queue and bindings, then stops consuming: during the ingest phases
        // RabbitMQ stores every published event in the queue, as it would for a downstream service
        // running elsewhere, but that service's work is not on these two cores.
        await (await InvoicePaidArrivalsAsync(servers.RabbitMq.ConnectionString, purge: false)).DisposeAsync();
        var (signingKey, publicKey) = IdentityToken.NewKeyPair();
        await using var webhooks = await BenchHost.StartAsync(WebhooksService.Build, new()
        {
            ["ConnectionStrings:webhooksdb"] = servers.Database("webhooks"),
            ["ConnectionStrings:rabbitmq"] = servers.RabbitMq.ConnectionString,
            ["Identity:PublicKey"] = publicKey,
            ["Stripe:SecretKey"] = "sk_test_bench",
            ["Stripe:ApiBase"] = "http://127.0.0.1:1",
            ["Stripe:WebhookSecrets:0"] = Secret,
            ["Webhooks:ReconcileEnabled"] = "false",
        });
        var gatewaySettings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:gatewaydb"] = servers.Database("gateway"),
            ["ConnectionStrings:redis"] = servers.Redis.ConnectionString,
            ["Identity:SigningKey"] = signingKey,
            ["ConnectionStrings:rabbitmq"] = servers.RabbitMq.ConnectionString,
            ["Gateway:OperatorKey"] = "bop_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        };
        // Only the Webhooks service is called; the other services' addresses are required but never used.
        foreach (var service in ServiceNames.All) gatewaySettings[$"services:{service}:http:0"] = webhooks.Address.ToString();
        await using var gateway = await BenchHost.StartAsync(GatewayService.Build, gatewaySettings);
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = gateway.Address,
        };
        // Straight to the service, to split the gateway's share from the service's.
        using var direct = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = webhooks.Address,
        };
        await using var baseline = await PlainInserts.CreateAsync(servers.Database("webhooks"));

        // Long enough for tiered compilation to recompile the hot code of every path with its
        // profile (as it does in a service that has run for a while), so the phases compare steady states.
        Console.WriteLine($"warming up for {warmup} s ...");
        for (var until = Stopwatch.GetTimestamp() + warmup * Stopwatch.Frequency; Stopwatch.GetTimestamp() < until;)
        {
            await ClosedLoopAsync(concurrency, TimeSpan.FromSeconds(2), () => SendAsync(client, NewEventId()));
            await ClosedLoopAsync(concurrency, TimeSpan.FromSeconds(2), () => baseline.InsertAsync(Body(NewEventId())));
            await ClosedLoopAsync(concurrency, TimeSpan.FromSeconds(2), () => SendAsync(direct, NewEventId()));
        }

        var cpu = new CpuUsage(new Dictionary<string, int>
        {
            ["Postgres"] = servers.Postgres.Process!.Pid,
            ["RabbitMQ"] = servers.RabbitMq.Process!.Pid,
            ["Redis"] = servers.Redis.Process!.Pid,
        });
        Dictionary<string, TimeSpan>? insertCpu = null, webhookCpu = null, directCpu = null;
        var webhookSamples = new List<long>();
        var insertSamples = new List<long>();
        var directSamples = new List<long>();
        // Unpublished outbox rows when each webhook phase ends: sustained means the relay keeps up, so this stays small.
        var backlogs = new List<long>();
        for (var round = 0; round < 2; round++)
        {
            var start = cpu.Snapshot();
            insertSamples.AddRange(await ClosedLoopAsync(concurrency, TimeSpan.FromSeconds(seconds), () => baseline.InsertAsync(Body(NewEventId()))));
            var inserted = cpu.Snapshot();
            webhookSamples.AddRange(await ClosedLoopAsync(concurrency, TimeSpan.FromSeconds(seconds), () => SendAsync(client, NewEventId())));
            var webhooked = cpu.Snapshot();
            backlogs.Add(await baseline.OutboxBacklogAsync());
            var directStart = cpu.Snapshot();
            directSamples.AddRange(await ClosedLoopAsync(concurrency, TimeSpan.FromSeconds(seconds), () => SendAsync(direct, NewEventId())));
            var directed = cpu.Snapshot();
            backlogs.Add(await baseline.OutboxBacklogAsync());
            insertCpu = CpuUsage.Add(insertCpu, start, inserted);
            webhookCpu = CpuUsage.Add(webhookCpu, inserted, webhooked);
            directCpu = CpuUsage.Add(directCpu, directStart, directed);
        }
        var measured = 2.0 * seconds;
        var webhookRate = webhookSamples.Count / measured;
        var insertRate = insertSamples.Count / measured;
        var webhookLatency = new Latencies(webhookSamples);

        Console.WriteLine($"end to end: {rate} events/s open loop ...");
        // The ingest phases left hundreds of MB of dirty pages; a checkpoint forced by them in the
        // middle of this phase stalls commits for half a second and measures those phases, not a
        // steady 200 events/s. So they are flushed first.
        await CheckpointAsync(servers.Postgres.ConnectionString);
        await using var arrivals = await InvoicePaidArrivalsAsync(servers.RabbitMq.ConnectionString, purge: true);
        var endToEnd = await EndToEndAsync(client, arrivals, rate, latencySeconds);

        Console.WriteLine();
        Console.WriteLine($"plain durable insert     : {insertRate,8:0} rows/s     latency {new Latencies(insertSamples).Summary()}");
        Console.WriteLine($"webhook through gateway  : {webhookRate,8:0} events/s   latency {webhookLatency.Summary()}");
        Console.WriteLine($"webhook, no gateway      : {directSamples.Count / measured,8:0} events/s   latency {new Latencies(directSamples).Summary()}");
        Console.WriteLine($"ratio webhook/insert     : {webhookRate / insertRate:P0} (target >= {TargetRatio:P0}); ingest p99 target < {TargetIngestP99Milliseconds} ms");
        var zero = insertCpu!.Keys.ToDictionary(k => k, _ => TimeSpan.Zero);
        Console.WriteLine($"CPU per row (insert)     : {CpuUsage.PerEvent(zero, insertCpu, insertSamples.Count)}");
        Console.WriteLine($"CPU per event (gateway)  : {CpuUsage.PerEvent(zero, webhookCpu!, webhookSamples.Count)}");
        Console.WriteLine($"CPU per event (direct)   : {CpuUsage.PerEvent(zero, directCpu!, directSamples.Count)}");
        Console.WriteLine($"relay backlog            : {string.Join(", ", backlogs)} unpublished outbox rows as each webhook phase ended (of ~{webhookRate * seconds:0} events per phase)");
        Console.WriteLine($"received -> consumed     : {endToEnd.Latencies.Summary()}  ({endToEnd.Missing} missing; target p99 < {TargetEndToEndP99Milliseconds} ms)");
        Console.WriteLine($"disk flush (8 KiB write + fsync, as a commit) before the run: p50={flush.Percentile(50) * 1000:0} µs  p99={flush.Percentile(99) * 1000:0} µs");
        Console.WriteLine($"machine load average after the run: {Load.Average()}");
        var met = webhookLatency.Percentile(99) < TargetIngestP99Milliseconds && webhookRate >= TargetRatio * insertRate
            && endToEnd.Latencies.Percentile(99) < TargetEndToEndP99Milliseconds && endToEnd.Missing == 0;
        Console.WriteLine($"targets: {(met ? "met" : "NOT met")}");
        return met ? 0 : 1;
    }

    /// <summary>A consumer of <c>InvoicePaid</c> on its own queue, noting when each Stripe event id arrived.</summary>
    private static Task<BusArrivals> InvoicePaidArrivalsAsync(string rabbitmq, bool purge) =>
        BusArrivals.StartAsync(rabbitmq, "bench-invoice-paid", purge, keys => keys.On<InvoicePaid>(m => m.Origin.StripeEventId));

    private static string NewEventId() => "evt_bench_" + Guid.NewGuid().ToString("N");

    /// <summary>An <c>invoice.paid</c> event of about the size Stripe sends for a small invoice.</summary>
    private static string Body(string eventId) => new JsonObject
    {
        ["id"] = eventId,
        ["object"] = "event",
        ["api_version"] = global::Stripe.StripeConfiguration.ApiVersion,
        ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        ["livemode"] = false,
        ["pending_webhooks"] = 1,
        ["request"] = new JsonObject { ["id"] = null, ["idempotency_key"] = null },
        ["type"] = "invoice.paid",
        ["data"] = new JsonObject
        {
            ["object"] = new JsonObject
            {
                ["id"] = "in_" + eventId[^16..], ["object"] = "invoice", ["status"] = "paid", ["customer"] = "cus_bench",
                ["amount_due"] = 2900, ["amount_paid"] = 2900, ["amount_remaining"] = 0, ["currency"] = "usd",
                ["billing_reason"] = "subscription_cycle", ["attempt_count"] = 1, ["metadata"] = new JsonObject(),
                ["parent"] = new JsonObject
                {
                    ["type"] = "subscription_details",
                    ["subscription_details"] = new JsonObject { ["subscription"] = "sub_bench", ["metadata"] = new JsonObject { ["app_id"] = "app_bench" } },
                },
            },
        },
    }.ToJsonString();

    private static async Task SendAsync(HttpClient client, string eventId)
    {
        var body = Body(eventId);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/stripe") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("Stripe-Signature", global::Stripe.EventUtility.GenerateSignatureHeader(body, Secret));
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Each of <paramref name="concurrency"/> callers sends as soon as its previous call returned; returns each call's duration.</summary>
    private static async Task<List<long>> ClosedLoopAsync(int concurrency, TimeSpan duration, Func<Task> call)
    {
        var samples = new List<long>();
        var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var perCaller = await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            var mine = new List<long>();
            while (Stopwatch.GetTimestamp() < until)
            {
                var start = Stopwatch.GetTimestamp();
                await call();
                mine.Add(Stopwatch.GetTimestamp() - start);
            }
            return mine;
        })));
        foreach (var mine in perCaller) samples.AddRange(mine);
        return samples;
    }

    /// <summary>
    /// One webhook every 1/rate s whatever the earlier ones are doing; latency from each one's
    /// scheduled send time to its <c>InvoicePaid</c> reaching the consumer. The first 5 s are warm-up:
    /// the consumer starts with this phase, and its code is recompiled by tiered compilation meanwhile.
    /// </summary>
    private static async Task<(Latencies Latencies, int Missing)> EndToEndAsync(HttpClient client, BusArrivals arrivals, int rate, int seconds)
    {
        const int warmupSeconds = 5;
        var total = rate * (seconds + warmupSeconds);
        var skip = rate * warmupSeconds;
        var ids = Enumerable.Range(0, total).Select(_ => NewEventId()).ToArray();
        var scheduled = await SteadyRate.SendAsync(rate, total, i => SendAsync(client, ids[i]));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (ids.Any(id => !arrivals.TryGet<InvoicePaid>(id, out _)) && DateTime.UtcNow < deadline) await Task.Delay(50);

        var samples = new List<long>();
        var missing = 0;
        for (var i = 0; i < total; i++)
        {
            if (!arrivals.TryGet<InvoicePaid>(ids[i], out var at)) missing++;
            else if (i >= skip) samples.Add(at - scheduled[i]);
        }
        return (new Latencies(samples), missing);
    }

    private static async Task CheckpointAsync(string adminConnectionString)
    {
        await using var connection = new NpgsqlConnection(adminConnectionString);
        await connection.OpenAsync();
        await using var checkpoint = new NpgsqlCommand("checkpoint", connection);
        await checkpoint.ExecuteNonQueryAsync();
    }

    /// <summary>The baseline: one autocommit insert of the event body per call, nothing else, on the same durable Postgres.</summary>
    private sealed class PlainInserts(NpgsqlDataSource dataSource) : IAsyncDisposable
    {
        public static async Task<PlainInserts> CreateAsync(string connectionString)
        {
            // The same driver settings as the services' (AddServiceDatabase): statements auto-prepared.
            var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 64 });
            await using var create = dataSource.CreateCommand("create table if not exists webhooks.bench_inserts (id text primary key, payload json not null)");
            await create.ExecuteNonQueryAsync();
            return new PlainInserts(dataSource);
        }

        public async Task InsertAsync(string body)
        {
            await using var command = dataSource.CreateCommand("insert into webhooks.bench_inserts (id, payload) values ($1, $2::json)");
            command.Parameters.Add(new NpgsqlParameter { Value = Guid.NewGuid().ToString("N") });
            command.Parameters.Add(new NpgsqlParameter { Value = body });
            await command.ExecuteNonQueryAsync();
        }

        public async Task<long> OutboxBacklogAsync()
        {
            await using var count = dataSource.CreateCommand($"select count(*) from webhooks.{Billing.ServiceDefaults.Messaging.MessagingModel.OutboxTable} where published_at is null");
            return (long)(await count.ExecuteScalarAsync())!;
        }

        public ValueTask DisposeAsync() => dataSource.DisposeAsync();
    }
}
