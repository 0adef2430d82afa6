using System.Diagnostics;
using System.Net.Http.Json;
using Billing.Benchmarks.Infrastructure;
using Billing.Gateway;
using Billing.Gateway.Routing;
using Billing.Orders;
using Billing.Orders.Infrastructure;
using Billing.Orders.Model;
using Billing.Orders.Payments;
using Billing.ServiceDefaults.Api;
using Billing.ServiceDefaults.Security;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Benchmarks.Wallet;

/// <summary>
/// Wallet charges (<c>POST /billing/wallet/charge</c>: one ledger transaction with its lines, the
/// wallet's checked balance and a <c>WalletCharged</c> outbox row, committed with the other charges
/// queued on the same wallet) through the gateway on a durable Postgres:
/// 1. charges/s with N concurrent callers (each on its own wallet), against plain single-row durable
///    inserts at the same concurrency, in the same run (target: at least 30 %), and reads of the same wallets
///    through the gateway (<c>GET /billing/wallet</c>): what a call reaches before it writes anything;
/// 2. latency of 50 concurrent charges on ONE wallet (target: p99 under 100 ms).
/// </summary>
public static class WalletChargeBenchmark
{
    private const double TargetRatio = 0.3;
    private const double TargetHotWalletP99Milliseconds = 100;
    private const int HotWalletCallers = 50;

    public static async Task<int> RunAsync(BenchmarkArguments arguments)
    {
        var seconds = arguments.Int("seconds", 5);
        var concurrency = arguments.Int("concurrency", 16);
        var warmup = arguments.Int("warmup", 10);
        var hotRounds = arguments.Int("hot-rounds", 40);
        ThreadPool.SetMinThreads(64, 64);

        Console.WriteLine($"wallet benchmark: {warmup} s warm-up, {concurrency} callers x {seconds} s per phase; then {hotRounds} rounds of {HotWalletCallers} charges on one wallet");
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load average {Load.Average()}");
        Console.WriteLine("starting Postgres (durable), RabbitMQ and Redis on loopback ...");
        await using var servers = await StackServers.StartAsync("gateway", OrdersService.Name);
        var (signingKey, publicKey) = IdentityToken.NewKeyPair();
        var operatorKey = "bop_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await using var orders = await BenchHost.StartAsync(OrdersService.Build, new()
        {
            ["ConnectionStrings:ordersdb"] = servers.Database(OrdersService.Name),
            ["ConnectionStrings:rabbitmq"] = servers.RabbitMq.ConnectionString,
            ["Identity:PublicKey"] = publicKey,
            // Charges never reach Stripe.
            ["Stripe:SecretKey"] = "sk_test_bench",
            ["Stripe:ApiBase"] = "http://127.0.0.1:1",
        });
        var gatewaySettings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:gatewaydb"] = servers.Database("gateway"),
            ["ConnectionStrings:redis"] = servers.Redis.ConnectionString,
            ["ConnectionStrings:rabbitmq"] = servers.RabbitMq.ConnectionString,
            ["Identity:SigningKey"] = signingKey,
            ["Gateway:OperatorKey"] = operatorKey,
            ["Gateway:RateLimit:Limit"] = "10000000",
        };
        // Only Orders is called; the other services' addresses are required but never used.
        foreach (var service in ServiceNames.All) gatewaySettings[$"services:{service}:http:0"] = orders.Address.ToString();
        await using var gateway = await BenchHost.StartAsync(GatewayService.Build, gatewaySettings);

        var tenant = await BenchTenant.CreateAsync(gateway.Address, operatorKey);
        using var client = tenant.KeyClient(gateway.Address);
        var wallets = new List<string>();
        for (var i = 0; i <= concurrency; i++) wallets.Add(await FundedWalletAsync(orders, tenant.AppId, 100_000_000));
        var hotWallet = wallets[^1];
        await using var baseline = await DurableInserts.CreateAsync(servers.Database(OrdersService.Name), OrdersService.Name);
        Task Charge(int caller) => ChargeAsync(client, tenant.AppId, wallets[caller]);
        Task Insert(int caller) => baseline.InsertAsync();
        Task Read(int caller) => ReadAsync(client, tenant.AppId, wallets[caller]);

        Console.WriteLine($"warming up for {warmup} s ...");
        for (var until = Stopwatch.GetTimestamp() + warmup * Stopwatch.Frequency; Stopwatch.GetTimestamp() < until;)
        {
            await ClosedLoop.RunAsync(concurrency, TimeSpan.FromSeconds(2), Charge);
            await ClosedLoop.RunAsync(concurrency, TimeSpan.FromSeconds(2), Insert);
        }

        var cpu = new CpuUsage(new Dictionary<string, int>
        {
            ["Postgres"] = servers.Postgres.Process!.Pid,
            ["RabbitMQ"] = servers.RabbitMq.Process!.Pid,
            ["Redis"] = servers.Redis.Process!.Pid,
        });
        Dictionary<string, TimeSpan>? insertCpu = null, chargeCpu = null;
        var chargeSamples = new List<long>();
        var insertSamples = new List<long>();
        var readSamples = new List<long>();
        for (var round = 0; round < 2; round++)
        {
            var start = cpu.Snapshot();
            insertSamples.AddRange(await ClosedLoop.RunAsync(concurrency, TimeSpan.FromSeconds(seconds), Insert));
            var inserted = cpu.Snapshot();
            chargeSamples.AddRange(await ClosedLoop.RunAsync(concurrency, TimeSpan.FromSeconds(seconds), Charge));
            var charged = cpu.Snapshot();
            insertCpu = CpuUsage.Add(insertCpu, start, inserted);
            chargeCpu = CpuUsage.Add(chargeCpu, inserted, charged);
            readSamples.AddRange(await ClosedLoop.RunAsync(concurrency, TimeSpan.FromSeconds(seconds), Read));
        }
        var measured = 2.0 * seconds;
        var chargeRate = chargeSamples.Count / measured;
        var insertRate = insertSamples.Count / measured;
        var readRate = readSamples.Count / measured;

        Console.WriteLine($"one wallet: {HotWalletCallers} concurrent charges per round ...");
        var hotSamples = new List<long>();
        for (var round = 0; round < hotRounds; round++)
        {
            var calls = await Task.WhenAll(Enumerable.Range(0, HotWalletCallers).Select(_ => Task.Run(async () =>
            {
                var start = Stopwatch.GetTimestamp();
                await ChargeAsync(client, tenant.AppId, hotWallet);
                return Stopwatch.GetTimestamp() - start;
            })));
            if (round >= 2) hotSamples.AddRange(calls); // the first rounds warm the hot path's connections
        }
        var hot = new Latencies(hotSamples);

        var zero = chargeCpu!.Keys.ToDictionary(k => k, _ => TimeSpan.Zero);
        Console.WriteLine();
        Console.WriteLine($"load average at the end   : {Load.Average()}");
        Console.WriteLine($"plain durable insert      : {insertRate,8:0} rows/s     latency {new Latencies(insertSamples).Summary()}");
        Console.WriteLine($"wallet charge via gateway : {chargeRate,8:0} charges/s  latency {new Latencies(chargeSamples).Summary()}");
        Console.WriteLine($"CPU per insert            : {CpuUsage.PerEvent(zero, insertCpu!, insertSamples.Count)}");
        Console.WriteLine($"CPU per charge            : {CpuUsage.PerEvent(zero, chargeCpu, chargeSamples.Count)} (this process = load generator, gateway and Orders)");
        Console.WriteLine($"ratio charge/insert       : {chargeRate / insertRate:P0} (target >= {TargetRatio:P0})");
        // What the gateway hop and the service's pipeline allow before any write: the same wallet read (two queries, no commit).
        Console.WriteLine($"wallet read via gateway   : {readRate,8:0} reads/s    latency {new Latencies(readSamples).Summary()}  = {readRate / insertRate:P0} of the inserts");
        Console.WriteLine($"{HotWalletCallers} at once on one wallet  : {hot.Summary()}  (target p99 < {TargetHotWalletP99Milliseconds} ms)");
        var met = chargeRate >= TargetRatio * insertRate && hot.Percentile(99) < TargetHotWalletP99Milliseconds;
        Console.WriteLine($"targets: {(met ? "met" : "NOT met")}");
        return met ? 0 : 1;
    }

    private static async Task ChargeAsync(HttpClient client, string appId, string customerId)
    {
        using var response = await client.PostAsJsonAsync($"/v1/{appId}/billing/wallet/charge",
            new { customerId, amountCents = 1, creatorId = "cr_bench", description = "bench" });
        response.EnsureSuccessStatusCode();
    }

    private static async Task ReadAsync(HttpClient client, string appId, string customerId)
    {
        using var response = await client.GetAsync($"/v1/{appId}/billing/wallet?customerId={customerId}");
        response.EnsureSuccessStatusCode();
    }

    /// <summary>A customer of the app with a paid deposit, applied by the same code as the webhook (no Stripe call).</summary>
    private static async Task<string> FundedWalletAsync(BenchHost orders, string appId, long cents)
    {
        await using var scope = orders.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrdersDbContext>();
        var customer = new Customer { Id = Ids.New("cus"), AppId = appId, ExternalId = "bench-" + Guid.NewGuid().ToString("N") };
        var order = new Order
        {
            Id = Ids.New("ord"), AppId = appId, CustomerId = customer.Id, Kind = OrderKind.Deposit, AmountCents = cents,
            StripeCheckoutSessionId = "cs_bench_" + Guid.NewGuid().ToString("N"),
        };
        db.Customers.Add(customer);
        db.Orders.Add(order);
        await db.SaveChangesAsync();
        await scope.ServiceProvider.GetRequiredService<OrderPayments>()
            .SessionCompletedAsync(appId, order.StripeCheckoutSessionId, "pi_bench_" + Guid.NewGuid().ToString("N"), "paid", cents, CancellationToken.None);
        return customer.Id;
    }
}
