using System.Diagnostics;
using System.Net.Http.Json;
using Billing.Benchmarks.Infrastructure;
using Billing.Catalog;
using Billing.Gateway;
using Billing.Gateway.Routing;
using Billing.ServiceDefaults.Security;

namespace Billing.Benchmarks.Gateway;

/// <summary>
/// What the gateway costs: the same Catalog read (GET plans) made through the gateway with an API
/// key (authentication, scope check, Redis rate limit, signed identity, proxy) and straight to the
/// Catalog with a signed identity header, in the same run, on loopback. Phases alternate so drift
/// of a shared machine falls on both. Throughput with several concurrent callers; added latency
/// (p50) with one caller at a time.
/// </summary>
public static class GatewayOverheadBenchmark
{
    public static async Task<int> RunAsync(BenchmarkArguments arguments)
    {
        var seconds = arguments.Int("seconds", 5);
        var concurrency = arguments.Int("concurrency", 16);
        var latencyCalls = arguments.Int("latency-calls", 2000);

        Console.WriteLine("Starting Postgres and Redis...");
        await using var servers = await GatewayBenchServers.StartAsync();
        var (signingKey, publicKey) = IdentityToken.NewKeyPair();
        var operatorKey = "bop_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

        await using var catalog = await BenchHost.StartAsync(CatalogService.Build, new()
        {
            ["ConnectionStrings:catalogdb"] = servers.Database("catalog"),
            ["Identity:PublicKey"] = publicKey,
            // Only plan reads are measured: no broker or Stripe is reached (the bus keeps retrying in the background).
            ["ConnectionStrings:rabbitmq"] = "amqp://guest:guest@127.0.0.1:1/",
            ["Messaging:BrokerStartWait"] = "00:00:00",
            ["Stripe:SecretKey"] = "sk_test_bench",
            ["Stripe:ApiBase"] = "http://127.0.0.1:1",
            ["Catalog:SeedPlatformTiers"] = "false",
        });
        var gatewaySettings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:gatewaydb"] = servers.Database("gateway"),
            ["ConnectionStrings:redis"] = servers.Redis.ConnectionString,
            ["Identity:SigningKey"] = signingKey,
            ["Gateway:OperatorKey"] = operatorKey,
            // Only Catalog reads are measured: the gateway's bus (platform subscription states) keeps retrying in the background.
            ["ConnectionStrings:rabbitmq"] = "amqp://guest:guest@127.0.0.1:1/",
            ["Messaging:BrokerStartWait"] = "00:00:00",
            ["Gateway:RateLimit:Limit"] = "10000000",
        };
        // Only the Catalog is called; the other services' addresses are required but never used.
        foreach (var service in ServiceNames.All) gatewaySettings[$"services:{service}:http:0"] = catalog.Address.ToString();
        await using var gateway = await BenchHost.StartAsync(GatewayService.Build, gatewaySettings);

        var tenant = await BenchTenant.CreateAsync(gateway.Address, operatorKey);
        var (appId, keyId, accountId) = (tenant.AppId, tenant.KeyId, tenant.AccountId);
        using var viaGateway = tenant.KeyClient(gateway.Address);
        for (var i = 0; i < 5; i++)
            (await viaGateway.PostAsJsonAsync($"/v1/{appId}/billing/plans", new { name = $"Plan {i}", priceCents = 1000 * (i + 1), interval = "month" }))
                .EnsureSuccessStatusCode();

        using var direct = Client(catalog.Address);
        using (var key = IdentityToken.ImportSigningKey(signingKey))
        {
            // The identity the gateway would forward for this key, valid for the whole run.
            var identity = new CallerIdentity
            {
                Kind = CallerKind.SecretKey, KeyId = keyId, AccountId = accountId, AppId = appId, Mode = "test",
                Scopes = [CallerIdentity.AllScopes], ExpiresAt = DateTimeOffset.UtcNow.AddHours(1),
            };
            direct.DefaultRequestHeaders.Add(IdentityToken.Header, IdentityToken.Sign(identity, key));
        }
        var path = $"/v1/{appId}/billing/plans";

        Console.WriteLine($"Warming up; then {seconds} s per phase, {concurrency} concurrent callers; {latencyCalls} sequential calls per latency phase.");
        await ThroughputAsync(direct, path, concurrency, TimeSpan.FromSeconds(2));
        await ThroughputAsync(viaGateway, path, concurrency, TimeSpan.FromSeconds(2));

        long directCalls = 0, gatewayCalls = 0;
        for (var round = 0; round < 2; round++)
        {
            directCalls += await ThroughputAsync(direct, path, concurrency, TimeSpan.FromSeconds(seconds));
            gatewayCalls += await ThroughputAsync(viaGateway, path, concurrency, TimeSpan.FromSeconds(seconds));
        }
        var directLatency = new List<long>();
        var gatewayLatency = new List<long>();
        for (var round = 0; round < 2; round++)
        {
            directLatency.AddRange(await LatencyAsync(direct, path, latencyCalls / 2));
            gatewayLatency.AddRange(await LatencyAsync(viaGateway, path, latencyCalls / 2));
        }

        var measured = 2.0 * seconds;
        var directRate = directCalls / measured;
        var gatewayRate = gatewayCalls / measured;
        var direct50 = new Latencies(directLatency);
        var gateway50 = new Latencies(gatewayLatency);
        Console.WriteLine();
        Console.WriteLine($"direct to Catalog : {directRate,9:0} calls/s   latency {direct50.Summary()}");
        Console.WriteLine($"through gateway   : {gatewayRate,9:0} calls/s   latency {gateway50.Summary()}");
        Console.WriteLine($"throughput ratio  : {gatewayRate / directRate:P0} of direct (target >= 60%)");
        Console.WriteLine($"p50 added         : {gateway50.Percentile(50) - direct50.Percentile(50):0.000} ms (target <= 1 ms)");
        return 0;
    }

    private static async Task<long> ThroughputAsync(HttpClient client, string path, int concurrency, TimeSpan duration)
    {
        long calls = 0;
        var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < until)
            {
                using var response = await client.GetAsync(path);
                response.EnsureSuccessStatusCode();
                await response.Content.CopyToAsync(Stream.Null);
                Interlocked.Increment(ref calls);
            }
        })));
        return calls;
    }

    private static async Task<List<long>> LatencyAsync(HttpClient client, string path, int calls)
    {
        var samples = new List<long>(calls);
        for (var i = 0; i < calls; i++)
        {
            var start = Stopwatch.GetTimestamp();
            using var response = await client.GetAsync(path);
            response.EnsureSuccessStatusCode();
            await response.Content.CopyToAsync(Stream.Null);
            samples.Add(Stopwatch.GetTimestamp() - start);
        }
        return samples;
    }

    private static HttpClient Client(Uri address) => BenchTenant.Client(address);
}
